package story

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// TestSchema keeps bot.schema.json in step with the loader: the same
// fields for every object, no others allowed, and the same limits.
func TestSchema(t *testing.T) {
	var s map[string]any
	if err := json.Unmarshal(Schema(), &s); err != nil {
		t.Fatalf("bot.schema.json: %v", err)
	}
	defs, _ := s["$defs"].(map[string]any)
	objects := map[string][]string{
		"":                 botFields,
		"settings":         settingsFields,
		"appearance":       appearanceFields,
		"entity":           entityFields,
		"entityValue":      entityValueFields,
		"story":            storyFields,
		"interaction":      interactionFields,
		"parameter":        parameterFields,
		"response":         responseFields,
		"quickReplies":     titledButtonFields,
		"buttons":          titledButtonFields,
		"card":             cardFields,
		"button":           buttonFields,
		"quickReply":       quickReplyFields,
		"set":              setFields,
		"handoff":          handoffFields,
		"branch":           branchFields,
		"automatedMessage": automatedFields,
		"trigger":          triggerFields,
		"meeting":          meetingFields,
		"webhookURL":       webhookURLFields,
	}
	for name, want := range objects {
		def := s
		if name != "" {
			def, _ = defs[name].(map[string]any)
		}
		obj := objectOf(def)
		if obj == nil {
			t.Errorf("schema: $defs/%s: no object with properties", name)
			continue
		}
		var got []string
		for k := range obj["properties"].(map[string]any) {
			got = append(got, k)
		}
		slices.Sort(got)
		want = slices.Sorted(slices.Values(want))
		if !slices.Equal(got, want) {
			t.Errorf("schema: $defs/%s: properties %v, loader's fields %v", name, got, want)
		}
		if obj["additionalProperties"] != false {
			t.Errorf("schema: $defs/%s: additionalProperties is %v, want false", name, obj["additionalProperties"])
		}
	}

	limits := []struct {
		path string
		want float64
	}{
		{"properties/attributes/maxItems", MaxAttributes},
		{"properties/entities/maxItems", MaxEntities},
		{"properties/stories/maxItems", MaxStories},
		{"$defs/settings/properties/confidence/minimum", MinConfidence},
		{"$defs/settings/properties/confidence/maximum", MaxConfidence},
		{"$defs/settings/properties/confidence/default", DefaultConfidence},
		{"$defs/settings/properties/lifespan/minimum", MinLifespan},
		{"$defs/settings/properties/lifespan/maximum", MaxLifespan},
		{"$defs/settings/properties/lifespan/default", DefaultLifespan},
		{"$defs/entity/properties/values/maxItems", MaxEntityValues},
		{"$defs/entityValue/oneOf/1/properties/synonyms/oneOf/1/maxItems", MaxSynonyms},
		{"$defs/story/properties/name/maxLength", MaxNameLen},
		{"$defs/story/properties/interactions/maxItems", MaxInteractions},
		{"$defs/interaction/properties/name/maxLength", MaxNameLen},
		{"$defs/interaction/properties/action/maxLength", MaxActionLen},
		{"$defs/interaction/properties/says/oneOf/0/maxLength", MaxQueryLen},
		{"$defs/interaction/properties/says/oneOf/1/maxItems", MaxPhrases},
		{"$defs/interaction/properties/keywords/oneOf/0/maxLength", MaxQueryLen},
		{"$defs/interaction/properties/triggers/oneOf/0/maxLength", MaxTriggerLen},
		{"$defs/interaction/properties/triggers/oneOf/1/maxItems", MaxTriggers},
		{"$defs/interaction/properties/parameters/maxItems", MaxParameters},
		{"$defs/interaction/properties/responses/maxItems", MaxResponses},
		{"$defs/condition/maxLength", MaxConditionLen},
		{"$defs/parameter/properties/prompts/oneOf/1/maxItems", MaxPrompts},
		{"$defs/parameter/properties/prompts/oneOf/0/maxLength", MaxTextLen},
		{"$defs/parameter/properties/retries/maximum", MaxRetries},
		{"$defs/parameter/properties/give_up/maxLength", MaxTextLen},
		{"$defs/response/properties/text/oneOf/0/maxLength", MaxTextLen},
		{"$defs/response/properties/text/oneOf/1/maxItems", MaxTextVariants},
		{"$defs/response/properties/image/maxLength", MaxImageURLLen},
		{"$defs/response/properties/carousel/maxItems", MaxCarouselCards},
		{"$defs/response/properties/delay/maximum", float64(MaxDelay.Milliseconds())},
		{"$defs/quickReplies/properties/title/maxLength", MaxQuickRepliesTitleLen},
		{"$defs/quickReplies/properties/buttons/maxItems", MaxQuickReplies},
		{"$defs/buttons/properties/title/maxLength", MaxButtonsTitleLen},
		{"$defs/buttons/properties/buttons/maxItems", MaxButtons},
		{"$defs/card/properties/title/maxLength", MaxCardTitleLen},
		{"$defs/card/properties/subtitle/maxLength", MaxCardSubtitleLen},
		{"$defs/card/properties/image/maxLength", MaxCardImageURLLen},
		{"$defs/card/properties/buttons/maxItems", MaxCardButtons},
		{"$defs/button/oneOf/1/properties/title/maxLength", MaxButtonTitleLen},
		{"$defs/button/oneOf/1/properties/postback/maxLength", MaxQueryLen},
		{"$defs/button/oneOf/1/properties/url/maxLength", MaxButtonURLLen},
		{"$defs/quickReply/oneOf/1/properties/postback/maxLength", MaxQueryLen},
		{"$defs/attributes/maxProperties", MaxAttributes},
		{"$defs/settings/properties/webhooks/maxProperties", MaxWebhookURLs},
		{"$defs/webhookURL/properties/url/maxLength", MaxWebhookURLLen},
		{"$defs/attributes/additionalProperties/maxLength", MaxAttributeValueLen},
	}
	for _, l := range limits {
		got, ok := lookupPath(s, l.path).(float64)
		if !ok || got != l.want {
			t.Errorf("schema: %s = %v, want %v", l.path, lookupPath(s, l.path), l.want)
		}
	}
	var langs []string
	for _, v := range lookupPath(s, "$defs/settings/properties/language/examples").([]any) {
		langs = append(langs, v.(string))
	}
	if !slices.Equal(langs, Languages) {
		t.Errorf("schema: languages %v, want %v", langs, Languages)
	}
}

// objectOf returns def, or its variant in oneOf, that has properties.
func objectOf(def map[string]any) map[string]any {
	if def == nil {
		return nil
	}
	if _, ok := def["properties"]; ok {
		return def
	}
	variants, _ := def["oneOf"].([]any)
	for _, v := range variants {
		if m, ok := v.(map[string]any); ok && m["properties"] != nil {
			return m
		}
	}
	return nil
}

func lookupPath(v any, path string) any {
	for _, p := range strings.Split(path, "/") {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			i := 0
			for _, c := range p {
				i = i*10 + int(c-'0')
			}
			if i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// TestSchemaAcceptsValidBots validates the example bots and
// testdata/load/full.yaml against the schema, with a small validator of
// the keywords the schema uses, and checks that it refuses a few bad ones.
func TestSchemaAcceptsValidBots(t *testing.T) {
	var s map[string]any
	if err := json.Unmarshal(Schema(), &s); err != nil {
		t.Fatal(err)
	}
	v := &validator{root: s}
	for _, name := range []string{"../examples/coffee/bot.yaml", "../examples/support/bot.yaml", "testdata/load/full.yaml", "testdata/load/minimal.json"} {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := v.validate(s, normalize(doc), ""); err != nil {
			t.Errorf("%s: the schema refuses a valid bot: %v", name, err)
		}
	}
	for _, bad := range []struct{ doc, want string }{
		{`{stories: [{name: S, interactions: [{name: A, sayz: [x]}]}]}`, "property sayz is not allowed"},
		{`{stories: [{name: S, interactions: [{name: A, responses: [{text: a, image: b}]}]}]}`, "2 variants of oneOf match"},
		{`{stories: [{name: S, interactions: [{name: A, responses: [{quick_replies: {title: t, buttons: [{title: a, url: u}]}}]}]}]}`, "buttons/0: 0 variants of oneOf match"},
		{`{settings: {lifespan: 11}}`, "/settings/lifespan: above 10"},
		{`{settings: {language: "klingon 2"}}`, "does not match"},
		{`{stories: [{name: S, interactions: [{name: A, id: ABC}]}]}`, "does not match ^[0-9a-f]{24}$"},
		{`{stories: [{name: S, interactions: [{name: A, responses: [{card: {title: t, buttons: [a, b, c, d]}}]}]}]}`, "card/buttons: more than 3 items"},
	} {
		var doc any
		if err := yaml.Unmarshal([]byte(bad.doc), &doc); err != nil {
			t.Fatalf("%s: %v", bad.doc, err)
		}
		err := v.validate(s, normalize(doc), "")
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("schema on %s: got %v, want an error containing %q", bad.doc, err, bad.want)
		}
	}
}

// normalize turns YAML numbers into float64, as JSON has them.
func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normalize(e)
		}
	case []any:
		for i, e := range x {
			x[i] = normalize(e)
		}
	case int:
		return float64(x)
	}
	return v
}

// validator checks a document against the subset of JSON Schema that
// bot.schema.json uses.
type validator struct{ root map[string]any }

func (v *validator) validate(schema map[string]any, doc any, at string) error {
	if ref, ok := schema["$ref"].(string); ok {
		def, _ := lookupPath(v.root, strings.TrimPrefix(ref, "#/")).(map[string]any)
		if def == nil {
			return fmt.Errorf("%s: unknown $ref %s", at, ref)
		}
		return v.validate(def, doc, at)
	}
	if c, ok := schema["const"]; ok && c != doc {
		return fmt.Errorf("%s: %v is not %v", at, doc, c)
	}
	if e, ok := schema["enum"].([]any); ok && !slices.Contains(e, doc) {
		return fmt.Errorf("%s: %v is not one of %v", at, doc, e)
	}
	if one, ok := schema["oneOf"].([]any); ok {
		n := 0
		for _, sub := range one {
			if v.validate(sub.(map[string]any), doc, at) == nil {
				n++
			}
		}
		if n != 1 {
			return fmt.Errorf("%s: %d variants of oneOf match", at, n)
		}
	}
	num := func(k string) (float64, bool) { f, ok := schema[k].(float64); return f, ok }
	switch x := doc.(type) {
	case map[string]any:
		if ty, ok := schema["type"]; ok && ty != "object" {
			return fmt.Errorf("%s: an object, want %v", at, ty)
		}
		props, _ := schema["properties"].(map[string]any)
		for _, r := range asSlice(schema["required"]) {
			if _, ok := x[r.(string)]; !ok {
				return fmt.Errorf("%s: %s is required", at, r)
			}
		}
		if m, ok := num("minProperties"); ok && float64(len(x)) < m {
			return fmt.Errorf("%s: fewer than %v properties", at, m)
		}
		if m, ok := num("maxProperties"); ok && float64(len(x)) > m {
			return fmt.Errorf("%s: more than %v properties", at, m)
		}
		for k, e := range x {
			if pn, ok := schema["propertyNames"].(map[string]any); ok {
				if err := v.validate(pn, k, at+"/"+k); err != nil {
					return err
				}
			}
			if p, ok := props[k]; ok {
				if err := v.validate(p.(map[string]any), e, at+"/"+k); err != nil {
					return err
				}
				continue
			}
			switch ap := schema["additionalProperties"].(type) {
			case bool:
				if !ap {
					return fmt.Errorf("%s: property %s is not allowed", at, k)
				}
			case map[string]any:
				if err := v.validate(ap, e, at+"/"+k); err != nil {
					return err
				}
			}
		}
	case []any:
		if ty, ok := schema["type"]; ok && ty != "array" {
			return fmt.Errorf("%s: an array, want %v", at, ty)
		}
		if m, ok := num("minItems"); ok && float64(len(x)) < m {
			return fmt.Errorf("%s: fewer than %v items", at, m)
		}
		if m, ok := num("maxItems"); ok && float64(len(x)) > m {
			return fmt.Errorf("%s: more than %v items", at, m)
		}
		if items, ok := schema["items"].(map[string]any); ok {
			for i, e := range x {
				if err := v.validate(items, e, fmt.Sprintf("%s/%d", at, i)); err != nil {
					return err
				}
			}
		}
	case string:
		if ty, ok := schema["type"]; ok && ty != "string" {
			return fmt.Errorf("%s: a string, want %v", at, ty)
		}
		n := float64(utf8.RuneCountInString(x))
		if m, ok := num("minLength"); ok && n < m {
			return fmt.Errorf("%s: shorter than %v", at, m)
		}
		if m, ok := num("maxLength"); ok && n > m {
			return fmt.Errorf("%s: longer than %v", at, m)
		}
		if p, ok := schema["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(x) {
			return fmt.Errorf("%s: %q does not match %s", at, x, p)
		}
	case float64:
		if ty, ok := schema["type"]; ok && ty != "number" && !(ty == "integer" && x == float64(int64(x))) {
			return fmt.Errorf("%s: a number, want %v", at, ty)
		}
		if m, ok := num("minimum"); ok && x < m {
			return fmt.Errorf("%s: below %v", at, m)
		}
		if m, ok := num("maximum"); ok && x > m {
			return fmt.Errorf("%s: above %v", at, m)
		}
	case bool:
		if ty, ok := schema["type"]; ok && ty != "boolean" {
			return fmt.Errorf("%s: a boolean, want %v", at, ty)
		}
	case nil:
		return fmt.Errorf("%s: null", at)
	}
	return nil
}

func asSlice(v any) []any { s, _ := v.([]any); return s }

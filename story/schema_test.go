package story

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
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
		"":             botFields,
		"settings":     settingsFields,
		"entity":       entityFields,
		"entityValue":  entityValueFields,
		"story":        storyFields,
		"interaction":  interactionFields,
		"parameter":    parameterFields,
		"response":     responseFields,
		"quickReplies": titledButtonFields,
		"buttons":      titledButtonFields,
		"card":         cardFields,
		"button":       buttonFields,
		"quickReply":   quickReplyFields,
		"set":          setFields,
		"handoff":      handoffFields,
		"branch":       branchFields,
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
		{"$defs/attributes/additionalProperties/maxLength", MaxAttributeValueLen},
	}
	for _, l := range limits {
		got, ok := lookupPath(s, l.path).(float64)
		if !ok || got != l.want {
			t.Errorf("schema: %s = %v, want %v", l.path, lookupPath(s, l.path), l.want)
		}
	}
	var langs []string
	for _, v := range lookupPath(s, "$defs/settings/properties/language/enum").([]any) {
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

// Package importer turns bots made for other platforms into Parley bot
// files: a Dialogflow ES agent export ([Dialogflow]) or a Rasa project
// ([Rasa]). It maps what has a Parley equivalent and lists the rest in
// [Result.Unmapped]; nothing is left out without a note.
//
// # Design
//
// An importer reads an [fs.FS] (a directory, or a zip archive through
// archive/zip) and builds a [botfile.File]; it does not validate the
// result against the format's limits beyond what it must to write a
// loadable file (names, lengths). The caller loads the file with
// story.Load to check it, as parley import does.
//
// The two sources differ in how a conversation moves on. Dialogflow's
// follow-up intents (parentId) and the contexts between them are Parley's
// parent and child interactions. Rasa decides the next action with its
// policies, trained on stories and rules; the importer keeps what a story
// or rule says literally: an intent followed by actions is an interaction
// with those responses, and an intent after that is a follow-up
// interaction of the first. Forms become the required parameters of the
// interaction that starts them, their utter_ask_ responses the prompts.
//
// # Caveats
//
//   - Scores of Dialogflow's and Rasa's classifiers are not Parley's: the
//     importers keep Parley's default confidence (parley eval -bot
//     suggests one for the imported bot).
//   - A Dialogflow agent's other languages bring their phrases, messages
//     and entity entries; prompts are the default language's, and the
//     entries of every language are values and synonyms of one entity.
//   - Rasa's roles, groups and regexes, and Dialogflow's regexp entities,
//     are not matched: parameters take the values annotated or listed.
//   - Webhooks and custom actions become webhook responses whose names the
//     host registers; their code does not come along.
package importer

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/parleybot/parley/story"
	"github.com/parleybot/parley/story/botfile"
)

// A Result is an imported bot and what of its source has no place in it.
type Result struct {
	File *botfile.File
	// Unmapped lists, one line each, the parts of the source that the
	// bot does not hold or holds differently, each starting with the
	// source file it comes from.
	Unmapped []string
}

func (r *Result) note(file, format string, args ...any) {
	r.Unmapped = append(r.Unmapped, file+": "+fmt.Sprintf(format, args...))
}

// name cuts s to a story, interaction or entity name.
func name(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "unnamed"
	}
	return cut(s, story.MaxNameLen)
}

// cut shortens s to at most max runes.
func cut(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max])
}

// ident turns s into a parameter, attribute, entity or webhook name:
// letters, digits, '_' and '-', starting with a letter or '_'.
func ident(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	out := b.String()
	if out == "" || out[0] >= '0' && out[0] <= '9' || out[0] == '-' {
		out = "_" + out
	}
	return cut(out, story.MaxAttributeNameLen)
}

// snake writes a name as a lower-case identifier: "Make Appointment"
// becomes "make_appointment".
func snake(s string) string {
	return ident(strings.ToLower(strings.Join(strings.Fields(s), "_")))
}

// fits reports whether a training phrase is short enough for the format
// (cutting it could cut a mark), noting it when it is not.
func (r *Result) fits(file, phrase string) bool {
	if n := utf8.RuneCountInString(phrase); n > story.MaxQueryLen {
		r.note(file, "phrase %q is %d characters long, more than %d: left out", cut(phrase, 40)+"…", n, story.MaxQueryLen)
		return false
	}
	return true
}

// literal keeps template braces of a text from reading as a placeholder:
// the format has no escape for "{{", so a space goes between the braces.
func literal(s string) string {
	for strings.Contains(s, "{{") {
		s = strings.ReplaceAll(s, "{{", "{ {")
	}
	return s
}

// A dictionary collects an entity's values and synonyms, refusing a word
// that already stands for another value (the bot format refuses it too).
type dictionary struct {
	entity botfile.Entity
	words  map[string]string // lower-case word -> its value
	index  map[string]int    // value -> its index in entity.Values
}

func newDictionary(entityName string) *dictionary {
	return &dictionary{entity: botfile.Entity{Name: entityName}, words: map[string]string{}, index: map[string]int{}}
}

// add adds a value and its synonyms, and returns the words it could not
// add because they stand for another value.
func (d *dictionary) add(value string, synonyms ...string) (clashes []string) {
	value = cut(strings.TrimSpace(value), story.MaxEntityValueLen)
	if value == "" {
		return nil
	}
	key := strings.ToLower(value)
	if prev, taken := d.words[key]; taken && prev != value && strings.EqualFold(prev, value) {
		value = prev // the same value, written in other letter case
	}
	i, ok := d.index[value]
	if !ok {
		if prev, taken := d.words[key]; taken {
			return []string{fmt.Sprintf("%q (a word of %q)", value, prev)}
		}
		if len(d.entity.Values) >= story.MaxEntityValues {
			return []string{fmt.Sprintf("%q (more than %d values)", value, story.MaxEntityValues)}
		}
		d.words[key] = value
		d.index[value] = len(d.entity.Values)
		i = len(d.entity.Values)
		d.entity.Values = append(d.entity.Values, botfile.Value{Value: value})
	}
	for _, s := range synonyms {
		s = cut(strings.TrimSpace(s), story.MaxEntityValueLen)
		k := strings.ToLower(s)
		if prev, taken := d.words[k]; s == "" || taken {
			if taken && prev != value {
				clashes = append(clashes, fmt.Sprintf("%q (a word of %q)", s, prev))
			}
			continue
		}
		if len(d.entity.Values[i].Synonyms) >= story.MaxSynonyms {
			clashes = append(clashes, fmt.Sprintf("%q (more than %d synonyms)", s, story.MaxSynonyms))
			continue
		}
		d.words[k] = value
		d.entity.Values[i].Synonyms = append(d.entity.Values[i].Synonyms, s)
	}
	return clashes
}

// systemEntities maps entity names of other platforms to Parley's system
// entities.
var systemEntities = map[string]string{
	"sys.any": "sys.any", "sys.number": "sys.number", "sys.number-integer": "sys.integer",
	"sys.cardinal": "sys.integer", "sys.email": "sys.email", "sys.phone-number": "sys.phone",
	"sys.url": "sys.url", "sys.number-sequence": "sys.alphanumeric",
	// Duckling's dimensions, which Rasa bots name as entities.
	"number": "sys.number", "email": "sys.email", "phone-number": "sys.phone", "url": "sys.url",
}

// uniqueName returns base, or base with a number, that taken does not
// hold yet, and records it.
func uniqueName(base string, taken map[string]bool) string {
	n := base
	for i := 2; taken[n]; i++ {
		n = cut(base, story.MaxNameLen-6) + fmt.Sprintf(" (%d)", i)
	}
	taken[n] = true
	return n
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// fit cuts what exceeds the bot format's counts, noting each cut, and
// drops a parameter named twice in one interaction.
func (r *Result) fit(source string) {
	f := r.File
	cutList := func(n, max int, what string) int {
		if n > max {
			r.note(source, "%s: %d, more than %d: the rest is left out", what, n, max)
			return max
		}
		return n
	}
	f.Entities = f.Entities[:cutList(len(f.Entities), story.MaxEntities, "entities")]
	f.Attributes = f.Attributes[:cutList(len(f.Attributes), story.MaxAttributes, "attributes")]
	for si := range f.Stories {
		st := &f.Stories[si]
		st.Interactions = st.Interactions[:cutList(len(st.Interactions), story.MaxInteractions, "interactions")]
		for ii := range st.Interactions {
			in := &st.Interactions[ii]
			what := "interaction " + in.Name
			in.Says.List = in.Says.List[:cutList(len(in.Says.List), story.MaxPhrases, what+": training phrases")]
			in.Triggers = in.Triggers[:cutList(len(in.Triggers), story.MaxTriggers, what+": events")]
			in.Responses = in.Responses[:cutList(len(in.Responses), story.MaxResponses, what+": responses")]
			seen := map[string]bool{}
			var params []botfile.Parameter
			for _, p := range in.Parameters {
				if seen[p.Name] {
					r.note(source, "%s: parameter %s is given twice: the first is kept", what, p.Name)
					continue
				}
				seen[p.Name] = true
				params = append(params, p)
			}
			in.Parameters = params[:cutList(len(params), story.MaxParameters, what+": parameters")]
		}
	}
}

// language returns a language tag without its region ("pt-br" is "pt",
// "de_core_news_sm" "de"): Parley's languages, and their stemmers, have
// none. It notes what it drops.
func (r *Result) language(file, tag string) string {
	tag = strings.TrimSpace(tag)
	base, _, ok := strings.Cut(strings.ReplaceAll(tag, "_", "-"), "-")
	if !ok || base == "" {
		return tag
	}
	r.note(file, "language %s is read as %s: a Parley language has no region or model", tag, strings.ToLower(base))
	return strings.ToLower(base)
}

package engine

import (
	"strings"

	"github.com/parleybot/parley/nlu"
	"github.com/parleybot/parley/story"
)

// dictionary extracts the values of a custom entity: a message containing
// a value or one of its synonyms, as whole words, ignoring case, yields the
// value. A word may carry a plural "s" or "es" ("two lattes"). The longest
// phrase wins where phrases overlap ("flat white" over "white").
//
// The nlu package documents a NewDictionary that it does not provide yet;
// when it does, the engine should use it instead.
type dictionary struct {
	name string
	// first maps a phrase's first token to the phrases starting with it,
	// longest first.
	first map[string][]dictPhrase
}

type dictPhrase struct {
	tokens []string
	value  string
}

func newDictionary(ent *story.Entity) *dictionary {
	d := &dictionary{name: ent.Name, first: make(map[string][]dictPhrase)}
	add := func(text, value string) {
		toks := nlu.Tokenize(text)
		if len(toks) == 0 {
			return
		}
		p := dictPhrase{tokens: make([]string, len(toks)), value: value}
		for i, t := range toks {
			p.tokens[i] = t.Text
		}
		list := d.first[p.tokens[0]]
		i := 0
		for i < len(list) && len(list[i].tokens) >= len(p.tokens) {
			i++
		}
		list = append(list, dictPhrase{})
		copy(list[i+1:], list[i:])
		list[i] = p
		d.first[p.tokens[0]] = list
	}
	for _, v := range ent.Values {
		add(v.Value, v.Value)
		for _, s := range v.Synonyms {
			add(s, v.Value)
		}
	}
	return d
}

// Extract implements nlu.Extractor.
func (d *dictionary) Extract(text string) []nlu.Entity {
	return d.extract(text, nlu.Tokenize(text))
}

// extract extracts from text already tokenized.
func (d *dictionary) extract(text string, toks []nlu.Token) []nlu.Entity {
	var out []nlu.Entity
	for i := 0; i < len(toks); {
		n := 0
		var value string
		for _, first := range singulars(toks[i].Text) {
			for _, p := range d.first[first] {
				if len(p.tokens) <= n || len(p.tokens) > len(toks)-i {
					continue
				}
				ok := true
				for j := 1; j < len(p.tokens); j++ {
					if !same(toks[i+j].Text, p.tokens[j]) {
						ok = false
						break
					}
				}
				if ok {
					n, value = len(p.tokens), p.value
					break
				}
			}
		}
		if n == 0 {
			i++
			continue
		}
		start, end := toks[i].Start, toks[i+n-1].End
		out = append(out, nlu.Entity{Name: d.name, Value: value, Text: text[start:end], Start: start, End: end})
		i += n
	}
	return out
}

// singulars returns word and its forms without a plural ending.
func singulars(word string) []string {
	out := []string{word}
	if len(word) > 3 && word[len(word)-1] == 's' {
		out = append(out, word[:len(word)-1])
		if word[len(word)-2] == 'e' {
			out = append(out, word[:len(word)-2])
		}
	}
	return out
}

// same reports whether a message's word is a phrase's word, perhaps with a
// plural ending.
func same(word, phrase string) bool {
	if word == phrase {
		return true
	}
	rest, ok := strings.CutPrefix(word, phrase)
	return ok && len(phrase) >= 3 && (rest == "s" || rest == "es")
}

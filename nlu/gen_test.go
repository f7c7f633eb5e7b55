package nlu_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/parleybot/parley/nlu"
)

// generatedExamples makes labels × perLabel phrases deterministically: each
// label has two topic words of its own mixed into shared templates, so the
// labels overlap in most words as real interactions do.
func generatedExamples(labels, perLabel int) []nlu.Example {
	rng := rand.New(rand.NewPCG(1, 2))
	templates := []string{
		"i want to %s my %s", "can you %s the %s", "how do i %s a %s", "please %s %s now",
		"help me %s the %s", "is it possible to %s my %s", "%s the %s for me", "what about %s for %s",
		"could you %s %s today", "i need to %s the %s",
	}
	syll := []string{"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "qui", "dor"}
	word := func() string {
		var w string
		for range 2 + rng.IntN(2) {
			w += syll[rng.IntN(len(syll))]
		}
		return w
	}
	var out []nlu.Example
	for l := range labels {
		verb, noun := word(), word()
		for i := range perLabel {
			t := templates[(i+l)%len(templates)]
			out = append(out, nlu.Example{Label: fmt.Sprintf("intent_%03d", l), Text: fmt.Sprintf(t, verb, noun)})
		}
	}
	return out
}

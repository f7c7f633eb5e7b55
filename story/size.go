package story

import "fmt"

// Limits of a whole bot, over all its files: each file may keep to the
// limits above and the sum still be more than one process should train
// at startup. Training one story's matcher costs about its labels (the
// interactions with training phrases) times its phrases: [Bot.Size]
// reports both, and Load refuses a bot over any of these limits, naming
// the story or entity that takes it over.
const (
	// MaxBotInteractions bounds the interactions of all stories.
	MaxBotInteractions = 10_000
	// MaxBotPhrases bounds the training phrases of all interactions.
	MaxBotPhrases = 50_000
	// MaxBotEntityTerms bounds the values and synonyms of all custom
	// entities together.
	MaxBotEntityTerms = 200_000
	// MaxTrainingPairs bounds the sum over stories of labels × phrases,
	// the work of training: about 20 s on a 2-core server (CLINC150's
	// 150 intents of 100 phrases each are 2,250,000 pairs, about 4 s).
	MaxTrainingPairs = 10_000_000
)

// Size measures a bot for the limits above.
type Size struct {
	Stories, Interactions, Phrases, EntityTerms int
	// TrainingPairs is the sum over stories of the interactions with
	// training phrases (plus one for out-of-scope phrases) times the
	// training phrases.
	TrainingPairs int64
}

// Size returns the bot's size.
func (b *Bot) Size() Size {
	var sz Size
	for _, e := range b.Entities {
		sz.EntityTerms += entityTerms(e)
	}
	for _, s := range b.Stories {
		sz.Stories++
		labels, phrases := storySize(s)
		sz.Interactions += len(s.Interactions)
		sz.Phrases += phrases
		sz.TrainingPairs += int64(labels) * int64(phrases)
	}
	return sz
}

func entityTerms(e *Entity) int {
	n := 0
	for _, v := range e.Values {
		n += 1 + len(v.Synonyms)
	}
	return n
}

// storySize returns the labels and the training phrases of s's matcher.
func storySize(s *Story) (labels, phrases int) {
	oos := false
	for _, in := range s.Interactions {
		if len(in.Phrases) == 0 {
			continue
		}
		phrases += len(in.Phrases)
		if in.Role == RoleElse {
			oos = true // a fallback's phrases are out-of-scope examples
			continue
		}
		labels++
	}
	if oos {
		labels++
	}
	return labels, phrases
}

// checkSize reports the first story or entity that takes the bot over a
// limit of its whole size, at its position.
func (l *loader) checkSize() {
	var terms int
	for _, e := range l.bot.Entities {
		terms += entityTerms(e)
		if terms > MaxBotEntityTerms {
			l.errorAt(e.Pos, "entity %q brings the bot's entity values and synonyms to %d, more than %d in all; move some to a sys.any parameter checked by a condition, or split the bot", e.Name, terms, MaxBotEntityTerms)
			break
		}
	}
	var inters, phrases int
	var pairs int64
	reported := [3]bool{}
	for _, s := range l.bot.Stories {
		labels, n := storySize(s)
		inters += len(s.Interactions)
		phrases += n
		pairs += int64(labels) * int64(n)
		if inters > MaxBotInteractions && !reported[0] {
			reported[0] = true
			l.errorAt(s.Pos, "story %q brings the bot's interactions to %d, more than %d in all; split the bot", s.Name, inters, MaxBotInteractions)
		}
		if phrases > MaxBotPhrases && !reported[1] {
			reported[1] = true
			l.errorAt(s.Pos, "story %q brings the bot's training phrases to %d, more than %d in all; keep the phrases that differ, or split the bot", s.Name, phrases, MaxBotPhrases)
		}
		if pairs > MaxTrainingPairs && !reported[2] {
			reported[2] = true
			l.errorAt(s.Pos, "story %q brings the bot's training work to %s (interactions with phrases × phrases, per story), more than %s: it would take minutes to train; split large stories or use fewer phrases", s.Name, thousands(pairs), thousands(MaxTrainingPairs))
		}
	}
}

// thousands formats n with commas: 10,000,000.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

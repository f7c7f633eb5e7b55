package engine

import (
	"time"

	"github.com/parleybot/parley/story"
)

// A TrainingEstimate is what New (or Reload) is expected to spend training
// a bot's matchers: a model fitted to measurements on a 2-core server
// (2026-12-04, while other jobs ran), within a factor of about two.
type TrainingEstimate struct {
	Time time.Duration
	// Memory is the heap training needs at its peak, on top of the
	// process's own.
	Memory int64
}

// Costs of the training estimate: 2 µs per label and phrase of a story
// (one linear SVM per label visits every phrase), 2 KB of heap per
// phrase and 16 KB per label.
const (
	trainPerPair   = 2 * time.Microsecond
	trainPerPhrase = 2 << 10
	trainPerLabel  = 16 << 10
)

// EstimateTraining returns what training b is expected to take; see
// story.Size and story.MaxTrainingPairs for the bound Load keeps to.
func EstimateTraining(b *story.Bot) TrainingEstimate {
	sz := b.Size()
	var labels int64
	for _, s := range b.Stories {
		for _, in := range s.Interactions {
			if len(in.Phrases) > 0 {
				labels++
			}
		}
	}
	return TrainingEstimate{
		Time:   time.Duration(sz.TrainingPairs) * trainPerPair,
		Memory: int64(sz.Phrases)*trainPerPhrase + labels*trainPerLabel,
	}
}

package nlu_test

import (
	"testing"

	"github.com/parleybot/parley/internal/clinc150"
	"github.com/parleybot/parley/internal/testbed"
)

// TestCalibration runs a small part of the calibration test bed (the full
// sweep is parley eval -sweep): bots sampled from CLINC150's train split,
// tested on its val and oos_val queries. At the default confidence, 0.5,
// a bot must answer nearly everything it ranks right, at every size, and
// still refuse unrelated messages once its intents have a few phrases.
func TestCalibration(t *testing.T) {
	path, err := clinc150.Path()
	if err != nil {
		t.Skipf("CLINC150 corpus not available: %v", err)
	}
	c, err := testbed.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		intents, perIntent int
		minRefused         float64 // out-of-scope refusals at 0.5
	}{
		{3, 5, 0},
		{10, 10, 0.3},
		{30, 20, 0.5},
	}
	for _, tt := range tests {
		rows, err := testbed.Sweep(c, []int{tt.intents}, []int{tt.perIntent}, 2)
		if err != nil {
			t.Fatal(err)
		}
		r := rows[0]
		t.Logf("%d intents × %d phrases: argmax %.3f, at 0.5 %.3f (refused %.2f), best %.2f: %.3f (refused %.2f)",
			r.Intents, r.PerIntent, r.Argmax, r.At05.InScope, r.At05.Refused, r.Best, r.AtBest.InScope, r.AtBest.Refused)
		if r.At05.InScope < r.Argmax-0.03 {
			t.Errorf("%d × %d: in-scope accuracy at 0.5 %.3f, want within 3 points of taking every best match (%.3f)", tt.intents, tt.perIntent, r.At05.InScope, r.Argmax)
		}
		if r.At05.InScope < r.AtBest.InScope-0.03 {
			t.Errorf("%d × %d: in-scope accuracy at 0.5 %.3f, want within 3 points of the best threshold's (%.3f at %.2f)", tt.intents, tt.perIntent, r.At05.InScope, r.AtBest.InScope, r.Best)
		}
		if r.At05.Refused < tt.minRefused {
			t.Errorf("%d × %d: out-of-scope refused at 0.5 %.2f, want at least %.2f", tt.intents, tt.perIntent, r.At05.Refused, tt.minRefused)
		}
	}
}

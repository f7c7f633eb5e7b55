package engine

import (
	"testing"

	"github.com/parleybot/parley/story"
)

func TestDictionary(t *testing.T) {
	d := newDictionary(&story.Entity{Name: "drink", Values: []story.EntityValue{
		{Value: "latte", Synonyms: []string{"caffe latte"}},
		{Value: "flat white", Synonyms: []string{"flatwhite"}},
		{Value: "white wine"},
		{Value: "tea", Synonyms: []string{"cup of tea"}},
		{Value: "glass"},
	}})
	tests := []struct {
		text string
		want []string // values, in order
	}{
		{"a latte please", []string{"latte"}},
		{"A CAFFE LATTE", []string{"latte"}},
		{"two lattes and a flat white", []string{"latte", "flat white"}},
		{"flat white wine", []string{"flat white"}},
		{"a cup of tea", []string{"tea"}},
		{"two teas", []string{"tea"}},
		{"two glasses", []string{"glass"}},
		{"platte", nil},
		{"", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			var got []string
			for _, e := range d.Extract(tt.text) {
				got = append(got, e.Value)
				if tt.text[e.Start:e.End] != e.Text {
					t.Errorf("entity %q: offsets %d:%d do not match", e.Text, e.Start, e.End)
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %q, want %q", got, tt.want)
				}
			}
		})
	}
}

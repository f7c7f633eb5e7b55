package wordvec_test

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"

	"github.com/parleybot/parley/nlu/wordvec"
)

// table writes a table of the words (in order of frequency) and their
// rows, in the package's format.
func table(words []string, rows [][]int8) []byte { return wordvec.Encode(words, rows) }

var small = table([]string{"the", "cat", "dog", "an"}, [][]int8{{127, 0, 0}, {0, 127, 64}, {0, 100, 80}, {-127, 0, 0}})

func TestParse(t *testing.T) {
	tb, err := wordvec.Parse(small)
	if err != nil {
		t.Fatal(err)
	}
	if tb.Len() != 4 || tb.Dim() != 3 {
		t.Errorf("got %d words of %d dimensions, want 4 of 3", tb.Len(), tb.Dim())
	}
	for rank, w := range []string{"the", "cat", "dog", "an"} {
		if r, ok := tb.Rank(w); !ok || r != rank {
			t.Errorf("Rank(%q): got %d, %v, want %d, true", w, r, ok, rank)
		}
	}
	for _, w := range []string{"", "a", "cats", "zebra", "The"} {
		if r, ok := tb.Rank(w); ok {
			t.Errorf("Rank(%q): got %d, true, want false", w, r)
		}
	}
	v := tb.Vector([]float32{9}, 1)
	want := []float32{9, 0, 127 / float32(math.Hypot(127, 64)), 64 / float32(math.Hypot(127, 64))}
	for i := range want {
		if len(v) != len(want) || math.Abs(float64(v[i]-want[i])) > 1e-6 {
			t.Fatalf("Vector(1): got %v, want %v", v, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	corrupt := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), small...)) }
	tests := map[string][]byte{
		"Empty":       nil,
		"Magic":       corrupt(func(b []byte) []byte { b[0] = 'X'; return b }),
		"NoDims":      corrupt(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[8:], 0); return b }),
		"TooManyDims": corrupt(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[8:], 1<<20); return b }),
		"TooManyWords": corrupt(func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[4:], math.MaxUint32)
			return b
		}),
		"Truncated":  small[:len(small)-1],
		"Longer":     append(append([]byte(nil), small...), 0),
		"FirstByte":  corrupt(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[12:], 1); return b }),
		"EmptyWord":  corrupt(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[16:], 0); return b }),
		"WordsSize":  corrupt(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[28:], 99); return b }),
		"Duplicate":  table([]string{"cat", "cat"}, [][]int8{{1}, {2}}),
		"RankRange":  corrupt(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[32+11:], 4); return b }),
		"ZeroVector": table([]string{"cat", "dog"}, [][]int8{{1, 2}, {0, 0}}),
	}
	// Ranks that do not follow their words' order.
	unsorted := append([]byte(nil), small...)
	binary.LittleEndian.PutUint32(unsorted[32+11:], 0)
	binary.LittleEndian.PutUint32(unsorted[32+11+12:], 3)
	tests["Unsorted"] = unsorted
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := wordvec.Parse(data); !errors.Is(err, wordvec.ErrFormat) {
				t.Errorf("got %v, want an error wrapping ErrFormat", err)
			}
		})
	}
}

// TestEnglish checks the embedded table: its size, and that words close in
// meaning have vectors closer than unrelated ones.
func TestEnglish(t *testing.T) {
	tb, err := wordvec.English()
	if err != nil {
		t.Fatal(err)
	}
	if tb.Len() != 40000 || tb.Dim() != 100 {
		t.Errorf("got %d words of %d dimensions, want 40000 of 100", tb.Len(), tb.Dim())
	}
	if r, ok := tb.Rank("the"); !ok || r != 0 {
		t.Errorf(`Rank("the"): got %d, %v, want 0, true`, r, ok)
	}
	cos := func(a, b string) float64 {
		ra, okA := tb.Rank(a)
		rb, okB := tb.Rank(b)
		if !okA || !okB {
			t.Fatalf("%q or %q missing", a, b)
		}
		u, v := tb.Vector(nil, ra), tb.Vector(nil, rb)
		var s float64
		for i := range u {
			s += float64(u[i]) * float64(v[i])
		}
		return s
	}
	if c := cos("weather", "weather"); math.Abs(c-1) > 1e-5 {
		t.Errorf("a vector's length: got %v, want 1", math.Sqrt(c))
	}
	for _, p := range [][3]string{{"humidity", "temperature", "cancel"}, {"rescind", "cancel", "weather"}, {"suite", "room", "salary"}} {
		if near, far := cos(p[0], p[1]), cos(p[0], p[2]); near <= far+0.2 {
			t.Errorf("%s: %.2f to %s, %.2f to %s; want the first 0.2 higher", p[0], near, p[1], far, p[2])
		}
	}
}

// FuzzParse checks that Parse never panics: damaged data is an error, and
// a table it accepts looks up any word.
func FuzzParse(f *testing.F) {
	f.Add(small, "cat")
	f.Add(table([]string{"a"}, [][]int8{{1}}), "a")
	f.Add(small[:40], "dog")
	f.Fuzz(func(t *testing.T, data []byte, word string) {
		tb, err := wordvec.Parse(data)
		if err != nil {
			if !errors.Is(err, wordvec.ErrFormat) {
				t.Fatalf("got %v, want an error wrapping ErrFormat", err)
			}
			return
		}
		if r, ok := tb.Rank(word); ok {
			if v := tb.Vector(nil, r); len(v) != tb.Dim() {
				t.Fatalf("Vector(%d): %d dimensions, want %d", r, len(v), tb.Dim())
			}
		}
	})
}

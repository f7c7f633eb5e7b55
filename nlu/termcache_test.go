package nlu

import (
	"fmt"
	"sync"
	"testing"
)

// TestTermCache checks that cached terms are the computed ones, when words
// collide in the cache and when goroutines share it.
func TestTermCache(t *testing.T) {
	m, err := Train(weatherCancel) // a small bot: terms, no stand-ins
	if err != nil {
		t.Fatal(err)
	}
	an := m.an
	var c termCache
	words := []string{"lattes", "running", "happily", "2.5", "café", "größer"}
	for i := range 3 * termCacheSize {
		words = append(words, fmt.Sprintf("word%dings", i))
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range 2 {
				for i := range words {
					w := words[(i+g*7)%len(words)]
					if got, want := c.word(m, w).term, an.computeTerm(w); got != want {
						t.Errorf("round %d: term(%q): got %q, want %q", round, w, got, want)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

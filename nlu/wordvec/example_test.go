package wordvec_test

import (
	"fmt"

	"github.com/parleybot/parley/nlu/wordvec"
)

// Words close in meaning have vectors with a high cosine; the vectors are
// of unit length, so the cosine is their dot product.
func ExampleEnglish() {
	t, err := wordvec.English()
	if err != nil {
		panic(err)
	}
	vector := func(w string) []float32 {
		r, ok := t.Rank(w)
		if !ok {
			panic(w)
		}
		return t.Vector(nil, r)
	}
	cos := func(a, b string) float32 {
		var s float32
		for i, x := range vector(a) {
			s += x * vector(b)[i]
		}
		return s
	}
	rank, _ := t.Rank("the")
	_, known := t.Rank("kalox")
	fmt.Printf("%d words of %d dimensions; %q has rank %d; %q is known: %v\n", t.Len(), t.Dim(), "the", rank, "kalox", known)
	fmt.Println("humidity is closer to weather than to cancel:", cos("humidity", "weather") > cos("humidity", "cancel"))
	// Output:
	// 40000 words of 100 dimensions; "the" has rank 0; "kalox" is known: false
	// humidity is closer to weather than to cancel: true
}

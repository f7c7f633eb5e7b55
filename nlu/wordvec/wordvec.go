package wordvec

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
)

//go:embed english.bin
var english []byte

// ErrFormat means [Parse] was given data that is not a table of word
// vectors in this package's format.
var ErrFormat = errors.New("wordvec: bad table data")

// A Table maps words to vectors of unit length. It is immutable and safe
// for concurrent use.
type Table struct {
	n, dim int
	off    []byte // n+1 uint32 offsets into words, by rank
	words  []byte
	byWord []byte // n uint32 ranks, in increasing order of their words
	rows   []byte // n*dim int8, by rank
}

const (
	magic  = "PWV1"
	maxDim = 4096
)

var englishTable = sync.OnceValues(func() (*Table, error) { return Parse(english) })

// English returns the embedded English table (see the package
// documentation), parsing it on the first call.
func English() (*Table, error) { return englishTable() }

// Parse reads a table from data, which it keeps and which must not change
// afterwards. It checks the whole table: an error wraps [ErrFormat].
func Parse(data []byte) (*Table, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrFormat}, args...)...)
	}
	if len(data) < 12 || string(data[:4]) != magic {
		return nil, bad("no %q header", magic)
	}
	n, dim := binary.LittleEndian.Uint32(data[4:]), binary.LittleEndian.Uint32(data[8:])
	if dim < 1 || dim > maxDim {
		return nil, bad("%d dimensions", dim)
	}
	rest := data[12:]
	// Every word takes at least a byte, 8 of offset and rank, and dim of
	// vector, and the offsets end with one more.
	if uint64(n) > uint64(len(rest))/uint64(9+dim) || uint64(len(rest)) < 4*(uint64(n)+1) {
		return nil, bad("%d words in %d bytes", n, len(data))
	}
	t := &Table{n: int(n), dim: int(dim), off: rest[:4*(n+1)]}
	rest = rest[4*(n+1):]
	size := uint64(t.offset(t.n))
	if t.offset(0) != 0 || size > uint64(len(rest)) {
		return nil, bad("words of %d bytes", size)
	}
	t.words, rest = rest[:size], rest[size:]
	if len(rest) != t.n*(4+t.dim) {
		return nil, bad("%d bytes of ranks and vectors for %d words of %d dimensions", len(rest), n, dim)
	}
	t.byWord, t.rows = rest[:4*t.n], rest[4*t.n:]
	for r := range t.n {
		lo, hi := t.offset(r), t.offset(r+1)
		if hi <= lo || uint64(hi) > size {
			return nil, bad("word %d: bytes %d to %d", r, lo, hi)
		}
		if !slicesAny(t.rows[r*t.dim : (r+1)*t.dim]) {
			return nil, bad("word %d (%q): a zero vector", r, t.word(r))
		}
	}
	// Ranks whose words increase strictly are n different ranks: each
	// word once.
	var prev []byte
	for i := range t.n {
		r := binary.LittleEndian.Uint32(t.byWord[4*i:])
		if r >= n {
			return nil, bad("rank %d of %d", r, n)
		}
		w := t.word(int(r))
		if i > 0 && bytes.Compare(w, prev) <= 0 {
			return nil, bad("word %q not after %q", w, prev)
		}
		prev = w
	}
	return t, nil
}

// slicesAny reports whether b has a byte other than zero.
func slicesAny(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return true
		}
	}
	return false
}

func (t *Table) offset(i int) uint32 { return binary.LittleEndian.Uint32(t.off[4*i:]) }

func (t *Table) word(i int) []byte { return t.words[t.offset(i):t.offset(i+1)] }

// Len returns the number of words in t.
func (t *Table) Len() int { return t.n }

// Dim returns the number of dimensions of t's vectors.
func (t *Table) Dim() int { return t.dim }

// Rank returns the rank of word in the order of frequency of the corpus
// the vectors were trained on, 0 for the most frequent, and whether t has
// the word. Words are looked up as given: the English table's are lower
// case.
func (t *Table) Rank(word string) (int, bool) {
	rank := func(i int) int { return int(binary.LittleEndian.Uint32(t.byWord[4*i:])) }
	i := sort.Search(t.n, func(i int) bool { return string(t.word(rank(i))) >= word })
	if i == t.n || string(t.word(rank(i))) != word {
		return 0, false
	}
	return rank(i), true
}

// Vector appends the vector of the word of rank r (see [Table.Rank]), of
// unit length, to dst and returns it. It panics if r is not a rank of t.
func (t *Table) Vector(dst []float32, r int) []float32 {
	row := t.rows[r*t.dim : (r+1)*t.dim]
	var sq float64
	for _, b := range row {
		sq += float64(int8(b)) * float64(int8(b))
	}
	inv := float32(1 / math.Sqrt(sq))
	for _, b := range row {
		dst = append(dst, float32(int8(b))*inv)
	}
	return dst
}

// Encode writes a table of words, in order of frequency, and their rows
// of int8 coordinates, one a word and all of one length, in the format
// [Parse] reads. It does not check what it writes: Parse does, so that a
// generator or a test may write a damaged table on purpose.
func Encode(words []string, rows [][]int8) []byte {
	b := []byte(magic)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(words)))
	dim := 0
	if len(rows) > 0 {
		dim = len(rows[0])
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(dim))
	size := 0
	b = binary.LittleEndian.AppendUint32(b, 0)
	for _, w := range words {
		size += len(w)
		b = binary.LittleEndian.AppendUint32(b, uint32(size))
	}
	for _, w := range words {
		b = append(b, w...)
	}
	byWord := make([]int, len(words))
	for i := range byWord {
		byWord[i] = i
	}
	slices.SortStableFunc(byWord, func(a, b int) int { return strings.Compare(words[a], words[b]) })
	for _, r := range byWord {
		b = binary.LittleEndian.AppendUint32(b, uint32(r))
	}
	for _, row := range rows {
		for _, x := range row {
			b = append(b, byte(x))
		}
	}
	return b
}

package nlu

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
)

// The model format: the magic, [ModelVersion], then the fields in a fixed
// order. Integers are unsigned varints; floats are little-endian float32
// bits.
const modelMagic = "parley-nlu\x00"

// ModelVersion is the version of the models [Matcher.MarshalBinary]
// writes. It changes whenever the format, the training or what a matcher
// does with a model (version 7: stand-ins for unknown words; 8: closeness
// in meaning; 9: closeness in meaning in small bots too; 10: the
// closeness's own vector space in large bots; 11: stemmers for armenian,
// basque, catalan, greek, hindi, indonesian, lithuanian, nepali, serbian
// and yiddish, whose matchers matched unstemmed words before, and words
// kept whole across Armenian marks and zero-width joiners; 12: numbers
// in the digits of every script, which entity classes read; 13: the
// stemmers of Snowball 2.2.0 for the languages blevesearch/snowballstem
// stemmed, whose Finnish stems words with "š" and "ž" otherwise; 14: the
// Hebrew geresh read as an apostrophe and the gershayim kept inside a
// word; 15: numbers written as words in arabic, lithuanian, serbian and
// yiddish, which entity classes read; 16: numbers written as words in
// hindi, irish, nepali and tamil, and yes and no in irish and tamil; 17:
// digits before a hundred word, "5 hundert", read as one number; 18:
// misspelt query words read as the training words they misspell; 19:
// only words of seven letters or more read so in languages other than
// English; 20: names weighing less in English bots under 2,000 phrases
// whose phrases name things; 21: ordinals in german, french, spanish,
// italian, portuguese and dutch, more number words and fewer words read
// as numbers where they are other words, which entity classes read; 22:
// French and Italian words matched without the article, pronoun or
// preposition elided before them, "l'adresse" as "adresse"; 23: Catalan
// words so too, "l'home" as "home", and an Indonesian word written twice
// with a hyphen read once, "benar-benar" as "benar"; 24: the Catalan
// middle dot kept inside a word, "col·legi" as "collegi"; 25: stemmers
// for esperanto, estonian, polish and sesotho, whose matchers matched
// unstemmed words before, and their yes, no and numbers, which entity
// classes read; 26: a stemmer for persian, and its yes and no; 27: a
// dictionary's value after an elided word, "d'eau", read as its entity's
// class there; 28: Chinese and Japanese read as their characters and
// pairs of neighbouring characters, and a dictionary's values found inside
// words of scripts written without spaces; 29: a stemmer for czech,
// whose matchers matched unstemmed words before) changes, so that a model is never used by a matcher that
// would have trained another one ([Load] refuses other versions);
// TestModelVersion keeps the two in step.
const ModelVersion = 29

// MarshalBinary encodes the matcher for [Load]. The encoding is
// deterministic and versioned; a matcher loaded from it predicts exactly
// what m predicts.
func (m *Matcher) MarshalBinary() ([]byte, error) {
	if m.ext != nil {
		return nil, errors.New("nlu: a matcher edited by With cannot be marshalled: train it")
	}
	// Measure first, then write into a buffer of that size: a model is
	// megabytes, and growing the buffer as it fills would leave several
	// times its size as garbage.
	size := encoder{count: true}
	m.encode(&size)
	e := encoder{b: make([]byte, 0, size.n)}
	m.encode(&e)
	return e.b, nil
}

// encode writes the matcher to e.
func (m *Matcher) encode(e *encoder) {
	e.raw(modelMagic)
	e.uint(ModelVersion)
	e.str(m.lang)
	e.uint(uint64(len(m.labels)))
	for _, l := range m.labels {
		e.str(l)
	}
	e.uint(uint64(m.oos + 1))
	e.uint(uint64(len(m.ents)))
	for _, n := range m.entityNames() {
		e.str(n)
	}
	// Stem cache, sorted by word.
	words := make([]string, 0, len(m.an.stems))
	for w := range m.an.stems {
		words = append(words, w)
	}
	slices.Sort(words)
	e.uint(uint64(len(words)))
	for _, w := range words {
		e.str(w)
		e.str(m.an.stems[w])
	}
	// Vocabulary in feature-index order.
	hashes := make([]uint64, len(m.idf))
	for h, i := range m.vocab {
		hashes[i] = h
	}
	e.uint(uint64(len(hashes)))
	for i, h := range hashes {
		e.u64(h)
		e.f32(m.idf[i])
	}
	// Where the views end (the last at the last feature), and whether the
	// bot is large (see Matcher.large).
	e.uint(uint64(m.viewEnd[viewTerm]))
	e.uint(uint64(m.viewEnd[viewPair]))
	large := uint64(0)
	if m.large {
		large = 1
	}
	e.uint(large)
	// A row of every label (a dense row; see trainSVMs) lists them in
	// order, so only its values are written.
	for f := range len(m.idf) {
		lo, hi, l := m.rows[f], m.rows[f+1], m.lRows[f]
		e.uint(uint64(hi - lo))
		dense := int(hi-lo) == len(m.labels)
		for j := lo; j < hi; j++ {
			if !dense {
				e.uint(uint64(m.wLabel[l]))
				l++
			}
			e.f32(m.wValue[j])
		}
	}
	e.f32s(m.bias)
	keys := make([]uint64, 0, len(m.exact))
	for k := range m.exact {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	e.uint(uint64(len(keys)))
	for _, k := range keys {
		e.u64(k)
		e.uint(uint64(len(m.exact[k])))
		for _, l := range m.exact[k] {
			e.uint(uint64(l))
		}
	}
	for l := range m.labels {
		e.uint(uint64(len(m.phrases[l])))
		for _, p := range m.phrases[l] {
			e.uint(uint64(len(p)))
			for _, w := range p {
				e.str(w)
			}
		}
	}
	e.uint(uint64(len(m.keywords)))
	for _, p := range m.keywords {
		e.uint(uint64(p.label))
		e.uint(uint64(len(p.terms)))
		for _, t := range p.terms {
			e.str(t)
		}
	}
	e.f32s(m.whiten)
}

// Load decodes a matcher written by [Matcher.MarshalBinary]. Data that is
// truncated, malformed or of another format version gives an error wrapping
// [ErrBadModel]. The format has no checksum: a changed weight or word
// decodes as well as the right one, so a model stored where it may be
// damaged needs one of its own (the engine's compiled model has one). A matcher trained [WithEntities] needs the extractors of
// the same entity names again; other options are ignored (the language is
// the model's).
func Load(data []byte, opts ...Option) (m *Matcher, err error) {
	cfg, err := applyOptions(opts)
	if err != nil {
		return nil, err
	}
	d := decoder{b: data}
	if len(data) < len(modelMagic) || string(data[:len(modelMagic)]) != modelMagic {
		return nil, fmt.Errorf("%w: not a parley nlu model", ErrBadModel)
	}
	d.b = d.b[len(modelMagic):]
	if v := d.uint(); v != ModelVersion {
		if d.err != nil {
			return nil, d.err
		}
		return nil, fmt.Errorf("%w: format version %d, want %d", ErrBadModel, v, ModelVersion)
	}
	m = &Matcher{model: model{index: map[string]int32{}, exact: map[uint64][]int32{}, vocab: map[uint64]int32{}}}
	m.lang = d.str()
	m.an = newAnalyzer(m.lang, cfg.log)
	nl := d.count(1)
	for i := 0; i < nl; i++ {
		l := d.str()
		if _, dup := m.index[l]; dup && d.err == nil {
			d.fail("duplicate label %q", l)
		}
		m.index[l] = int32(i)
		m.labels = append(m.labels, l)
	}
	if oos := d.uint(); oos > uint64(nl) {
		d.fail("out-of-scope index %d of %d labels", oos, nl)
	} else {
		m.oos = int32(oos) - 1
	}
	var missing []string
	for n := d.count(1); n > 0 && d.err == nil; n-- {
		name := d.str()
		i := slices.IndexFunc(cfg.entities, func(e namedExtractor) bool { return e.name == name })
		if i < 0 {
			missing = append(missing, name)
			continue
		}
		m.ents = append(m.ents, cfg.entities[i])
	}
	for n := d.count(2); n > 0 && d.err == nil; n-- {
		w := d.str()
		m.an.stems[w] = d.str()
	}
	nf := d.count(12)
	m.idf = make([]float32, 0, nf)
	for i := 0; i < nf && d.err == nil; i++ {
		h := d.u64()
		if _, dup := m.vocab[h]; dup {
			d.fail("duplicate feature")
		}
		m.vocab[h] = int32(i)
		m.idf = append(m.idf, d.finite())
	}
	m.maxIDFv = m.maxIDF()
	if t, p := d.uint(), d.uint(); t > p || p > uint64(nf) {
		d.fail("views ending at %d and %d of %d features", t, p, nf)
	} else {
		m.viewEnd = [nViews]int32{int32(t), int32(p), int32(nf)}
	}
	switch d.uint() {
	case 0:
	case 1:
		m.large = true
	default:
		d.fail("bad large-bot flag")
	}
	m.rows, m.lRows = make([]int32, 1, nf+1), make([]int32, 1, nf+1)
	// Count the weights on a copy of the decoder first, so that they are
	// allocated once, at their size (each takes 4 bytes of data or more).
	if probe := d; probe.err == nil {
		values, labels := 0, 0
		for f := 0; f < nf && probe.err == nil; f++ {
			n := probe.count(4)
			for k := 0; k < n && probe.err == nil; k++ {
				if n != nl {
					probe.label(nl)
					labels++
				}
				probe.finite()
				values++
			}
		}
		if probe.err == nil {
			m.wLabel, m.wValue = make([]int32, 0, labels), make([]float32, 0, values)
		}
	}
	for f := 0; f < nf && d.err == nil; f++ {
		n := d.count(4)
		if n > nl {
			d.fail("%d weights for %d labels", n, nl)
		}
		for k := 0; k < n && d.err == nil; k++ {
			if n != nl {
				m.wLabel = append(m.wLabel, d.label(nl))
			}
			m.wValue = append(m.wValue, d.finite())
		}
		m.rows, m.lRows = append(m.rows, int32(len(m.wValue))), append(m.lRows, int32(len(m.wLabel)))
	}
	m.bias = d.f32s()
	if d.err == nil && len(m.bias) != nl {
		d.fail("%d biases for %d labels", len(m.bias), nl)
	}
	for n := d.count(9); n > 0 && d.err == nil; n-- {
		k := d.u64()
		ls := make([]int32, d.count(1))
		for i := range ls {
			ls[i] = d.label(nl)
		}
		m.exact[k] = ls
	}
	m.trained = make([]bool, nl)
	m.phrases = make([][][]string, nl)
	for l := 0; l < nl && d.err == nil; l++ {
		m.phrases[l] = make([][]string, d.count(1))
		for i := range m.phrases[l] {
			p := make([]string, d.count(1))
			for k := range p {
				p[k] = d.str()
			}
			m.phrases[l][i] = p
		}
		m.trained[l] = len(m.phrases[l]) > 0 || int32(l) == m.oos
	}
	for n := d.count(2); n > 0 && d.err == nil; n-- {
		p := keywordPattern{label: d.label(nl)}
		p.terms = make([]string, d.count(1))
		for i := range p.terms {
			p.terms[i] = d.str()
		}
		m.keywords = append(m.keywords, p)
	}
	if m.whiten = d.f32s(); len(m.whiten) == 0 {
		m.whiten = nil
	}
	if d.err == nil && len(d.b) != 0 {
		d.fail("%d trailing bytes", len(d.b))
	}
	if d.err != nil {
		return nil, d.err
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: it reads the entities %q: give their extractors with WithEntities", ErrBadModel, missing)
	}
	m.cacheWords()
	return m, nil
}

// An encoder appends a model to b, or with count set only counts its
// bytes in n.
type encoder struct {
	b     []byte
	n     int
	count bool
}

func (e *encoder) uint(v uint64) {
	if e.count {
		e.n += (bits.Len64(v|1) + 6) / 7 // the length of v's uvarint
		return
	}
	e.b = binary.AppendUvarint(e.b, v)
}

func (e *encoder) raw(s string) {
	if e.count {
		e.n += len(s)
		return
	}
	e.b = append(e.b, s...)
}

func (e *encoder) u64(v uint64) {
	if e.count {
		e.n += 8
		return
	}
	e.b = binary.LittleEndian.AppendUint64(e.b, v)
}

func (e *encoder) f32(f float32) {
	if e.count {
		e.n += 4
		return
	}
	e.b = binary.LittleEndian.AppendUint32(e.b, math.Float32bits(f))
}

func (e *encoder) str(s string) { e.uint(uint64(len(s))); e.raw(s) }
func (e *encoder) f32s(fs []float32) {
	e.uint(uint64(len(fs)))
	for _, f := range fs {
		e.f32(f)
	}
}

// A decoder reads what an encoder wrote; after the first error every read
// returns a zero value and err keeps the first error.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: "+format, append([]any{ErrBadModel}, args...)...)
	}
}

func (d *decoder) uint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("truncated")
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a length whose items take at least minSize bytes each, and
// fails when the rest of the data cannot hold that many.
func (d *decoder) count(minSize int) int {
	n := d.uint()
	if d.err == nil && n > uint64(len(d.b)/minSize) {
		d.fail("count %d exceeds data", n)
		return 0
	}
	return int(n)
}

func (d *decoder) label(nl int) int32 {
	v := d.uint()
	if d.err == nil && v >= uint64(nl) {
		d.fail("label index %d of %d", v, nl)
		return 0
	}
	return int32(v)
}

func (d *decoder) str() string {
	n := d.count(1)
	if d.err != nil {
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *decoder) u64() uint64 {
	if d.err != nil {
		return 0
	}
	if len(d.b) < 8 {
		d.fail("truncated")
		return 0
	}
	v := binary.LittleEndian.Uint64(d.b)
	d.b = d.b[8:]
	return v
}

func (d *decoder) f32() float32 {
	if d.err != nil {
		return 0
	}
	if len(d.b) < 4 {
		d.fail("truncated")
		return 0
	}
	v := math.Float32frombits(binary.LittleEndian.Uint32(d.b))
	d.b = d.b[4:]
	return v
}

func (d *decoder) f32s() []float32 {
	n := d.count(4)
	fs := make([]float32, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		fs = append(fs, d.finite())
	}
	return fs
}

// finite reads a float32 that must be neither NaN nor infinite.
func (d *decoder) finite() float32 {
	v := d.f32()
	if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
		d.fail("non-finite number")
		return 0
	}
	return v
}

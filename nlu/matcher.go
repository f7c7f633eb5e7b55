package nlu

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"
)

// OutOfScope is the label of negative examples: phrases that belong to no
// interaction. They train an explicit out-of-scope class that pulls the
// scores of the other labels down for similar queries; it never appears in
// [Matcher.Predict]'s results.
const OutOfScope = "oos"

// MaxMatches is the most matches [Matcher.Predict] returns.
const MaxMatches = 10

// An Example is one labelled training phrase.
type Example struct {
	// Label names what the phrase means, for example an interaction id.
	// [OutOfScope] marks a negative example.
	Label string
	// Text is the phrase, as a user would type it.
	Text string
	// Keyword makes Text a keyword pattern (ChatBot.com's rules): a query
	// matches when it contains every word of Text, in any order, with at
	// most one other word between consecutive keywords. A hit scores 1.0.
	Keyword bool
	// Marks are entity values marked in Text; see [WithEntities].
	Marks []Mark
	// Evidence makes the example lend its words to the label's model
	// without being a training phrase: a query equal to it, or within a
	// typo of it, does not score 1 or 0.9 for that. The engine uses it to
	// make an interaction's entities evidence for it.
	Evidence bool
}

// A Match is one label a query may mean.
type Match struct {
	Label string
	// Score is in [0, 1]: 1 for a normalised exact training phrase or a
	// keyword hit; otherwise a calibrated confidence that means the same
	// thing for every query of a matcher, so one threshold fits all.
	Score float64
	// Keyword is true when a keyword pattern matched.
	Keyword bool
}

// Errors returned by [Train] and [Load].
var (
	// ErrNoExamples means Train was given no usable example.
	ErrNoExamples = errors.New("nlu: no examples")
	// ErrBadModel means Load was given data that is not a model written by
	// [Matcher.MarshalBinary] of a compatible version.
	ErrBadModel = errors.New("nlu: bad model data")
)

// An Option configures [Train] or [NewDictionary].
type Option func(*config) error

type config struct {
	lang     string
	entities []namedExtractor
	log      *slog.Logger
}

func defaultConfig() config { return config{lang: "english"} }

// WithLanguage sets the language of the examples, which chooses the stemmer:
// one of [Languages], by name or ISO 639-1 code, with or without a region
// ("de", "de-DE"; see [LanguageName]) (default "english"). Any
// other language, such as "japanese" or "none", matches without stemming:
// on whole words and character n-grams ([System] reads the numbers and yes
// and no of the languages it names, English's in the others). An empty
// name is an error.
func WithLanguage(lang string) Option {
	return func(c *config) error {
		lang = LanguageName(lang)
		if lang == "" {
			return errors.New("nlu: WithLanguage: empty language")
		}
		c.lang = lang
		return nil
	}
}

// WithLogger sends warnings to l: a stemmer that panics on a word (which
// is then matched as written, so that no query fails). The default
// discards them.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("nlu: WithLogger: nil logger")
		}
		c.log = l
		return nil
	}
}

func applyOptions(opts []Option) (config, error) {
	c := defaultConfig()
	for _, o := range opts {
		if o == nil {
			return c, errors.New("nlu: nil option")
		}
		if err := o(&c); err != nil {
			return c, err
		}
	}
	return c, nil
}

// A Set is a set of labels of one [Matcher], built by [Matcher.Set]. The
// zero Set means every label. Sets are immutable and safe for concurrent
// use.
type Set struct {
	bits []uint64
	some bool // distinguishes an empty set from the zero Set (all labels)
}

func (s Set) has(i int) bool {
	if !s.some {
		return true
	}
	return i>>6 < len(s.bits) && s.bits[i>>6]&(1<<(uint(i)&63)) != 0
}

// Len returns the number of labels in s, or -1 for the zero Set (all labels).
func (s Set) Len() int {
	if !s.some {
		return -1
	}
	n := 0
	for _, w := range s.bits {
		n += bits.OnesCount64(w)
	}
	return n
}

// Set returns the set of the given labels, for [Matcher.Predict]. Labels
// the matcher does not know are ignored. With no labels it returns an empty
// set, which matches nothing (unlike the zero Set).
func (m *Matcher) Set(labels ...string) Set {
	s := Set{bits: make([]uint64, (len(m.labels)+63)/64), some: true}
	for _, l := range labels {
		if i, ok := m.index[l]; ok {
			s.bits[i>>6] |= 1 << (uint(i) & 63)
		}
	}
	return s
}

// A Matcher ranks the labels of its training examples against a query. It
// is immutable once trained or loaded, and safe for concurrent use;
// [Matcher.With] makes a new one.
type Matcher struct {
	model
	pool sync.Pool // *scratch
}

// model is what a Matcher knows. [Matcher.With] copies it, sharing
// everything but the parts it changes.
type model struct {
	lang     string
	ents     []namedExtractor // WithEntities, by name
	labels   []string         // label i; OutOfScope included when trained
	index    map[string]int32 // label → i
	oos      int32            // index of OutOfScope, or -1
	an       *analyzer
	vocab    map[uint64]int32 // feature hash → feature index
	viewEnd  [nViews]int32    // the features of view v end at viewEnd[v]
	large    bool             // trained on largeBot phrases or more: each view of a vector has the same length (see vectorize), the idf is damped (idfOf) and scores weigh typicality
	idf      []float32        // per feature
	rows     []int32          // feature f's weights are wValue[rows[f]:rows[f+1]]
	lRows    []int32          // and their labels wLabel[lRows[f]:lRows[f+1]], but for a whole row (one weight per label, in order)
	wLabel   []int32          // label of each weight of a row that is not whole
	wValue   []float32        // weight
	bias     []float32        // per label
	exact    map[uint64][]int32
	keywords []keywordPattern
	trained  []bool        // per label: whether it has phrases (not only keywords)
	phrases  [][][]string  // per label: the words of each training phrase
	whiten   []float32     // a large English bot's: the closeness's transform of the word vectors (see whitening), computed in training
	maxIDFv  float32       // idf of unknown features, for vectorize
	offset   float64       // the margin that scores 0.5; see calibrate
	cache    wordCache     // derived from the model; see cacheWords
	near     nearIndex     // derived from the model; see buildNear
	terms    *termCache    // terms and stand-ins of recent unknown query words
	stand    *standInIndex // derived from the model and the word vectors; see buildStandIns
	typos    *typoWords    // derived from the model; see buildTypos
	meaning  *meaningIndex // derived from the model and the word vectors; see buildMeaning
	data     *dataset      // the training vectors, for With; nil once loaded
	ext      *extension    // labels With added or removed; nil if none
}

// Labels returns the labels the matcher knows, in the order of first
// appearance in the training examples, [OutOfScope] excluded.
func (m *Matcher) Labels() []string {
	out := make([]string, 0, len(m.labels))
	for i, l := range m.labels {
		if int32(i) != m.oos && !m.removed(i) {
			out = append(out, l)
		}
	}
	return out
}

// Language returns the language the matcher stems for.
func (m *Matcher) Language() string { return m.lang }

// Train builds a matcher from examples. Examples with an empty label or no
// words are an error; so is a keyword example labelled [OutOfScope]. Train is
// deterministic: the same examples and options give the same matcher, byte
// for byte once marshalled.
func Train(examples []Example, opts ...Option) (*Matcher, error) {
	cfg, err := applyOptions(opts)
	if err != nil {
		return nil, err
	}
	if len(examples) == 0 {
		return nil, ErrNoExamples
	}
	m := &Matcher{model: model{lang: cfg.lang, ents: cfg.entities, index: map[string]int32{}, oos: -1, an: newAnalyzer(cfg.lang, cfg.log), exact: map[uint64][]int32{}}}
	var errs []error
	for i, ex := range examples {
		switch {
		case strings.TrimSpace(ex.Label) == "":
			errs = append(errs, fmt.Errorf("nlu: example %d: empty label", i))
			continue
		case len(Tokenize(ex.Text)) == 0:
			errs = append(errs, fmt.Errorf("nlu: example %d (%q): no words in %q", i, ex.Label, ex.Text))
			continue
		case ex.Keyword && ex.Label == OutOfScope:
			errs = append(errs, fmt.Errorf("nlu: example %d: a keyword pattern cannot be %q", i, OutOfScope))
			continue
		}
		if err := checkMarks(ex, i, m.ents); err != nil {
			errs = append(errs, err)
			continue
		}
		if _, ok := m.index[ex.Label]; !ok {
			m.index[ex.Label] = int32(len(m.labels))
			if ex.Label == OutOfScope {
				m.oos = int32(len(m.labels))
			}
			m.labels = append(m.labels, ex.Label)
		}
		m.an.learn(m.tokens(nil, ex.Text, ex.Marks))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	m.fit(examples)
	return m, nil
}

// Predict ranks the eligible labels against query, best first, and returns
// at most [MaxMatches] of them with a score above zero. The zero Set makes
// every label eligible. Scores are not renormalised over the eligible labels:
// a query that fits an ineligible label better keeps its low score, so the
// caller's threshold still sends it to the fallback.
func (m *Matcher) Predict(query string, eligible Set) []Match {
	sc := m.getScratch()
	defer m.pool.Put(sc)
	sc.reset(len(m.labels))
	unknown := m.readQuery(sc, query)
	if len(sc.terms) == 0 {
		return nil
	}
	m.score(sc)
	if m.ext != nil {
		m.ext.score(m, sc)
	}
	for l, ok := range m.trained {
		if !ok {
			sc.raw[l] = math.Inf(-1) // keyword patterns only
		}
	}
	key := phraseKey(sc.terms)
	if i, ok := m.cache.exact.get(key); ok {
		for _, l := range m.cache.exactLabels[i] {
			sc.raw[l] = math.Inf(1)
		}
	}
	if m.ext != nil {
		for _, l := range m.ext.exact[key] {
			sc.raw[l] = math.Inf(1)
		}
	}
	m.matchKeywords(sc)
	// Keep the MaxMatches best eligible labels by margin (the score is
	// monotonic in it), best first, ties broken by label index.
	var (
		topR [MaxMatches]float64
		topL [MaxMatches]int32
		n    int
	)
	for i, r := range sc.raw {
		if n == MaxMatches && r <= topR[n-1] || int32(i) == m.oos || !eligible.has(i) || m.removed(i) {
			continue
		}
		k := n
		if n < MaxMatches {
			n++
		}
		for ; k > 0 && r > topR[k-1]; k-- {
			if k < MaxMatches {
				topR[k], topL[k] = topR[k-1], topL[k-1]
			}
		}
		topR[k], topL[k] = r, int32(i)
	}
	var oosMargin float64
	if m.oos >= 0 {
		oosMargin = max(0, sc.raw[m.oos])
	}
	if unknown {
		m.nearWords(sc)
	}
	var own [MaxMatches]float64
	if m.large {
		m.typicality(sc, topL[:n], own[:n])
	}
	var near [MaxMatches]float64
	if m.meaning != nil {
		m.closeness(sc, topL[:n], near[:n])
	}
	out := make([]Match, 0, n)
	for k, l := range topL[:n] {
		r := topR[k]
		s := 1.0
		if !math.IsInf(r, 1) {
			margin := r - oosMargin - m.offsetFor(sc.coverage, r-m.biasOf(l))
			if m.large {
				margin += typicalOwn * (own[k] - typicalOwnMid)
			}
			margin += near[k]
			s = scoreOf(margin)
			if unknown && k < fuzzyLabels {
				// A typo makes a word the matcher does not know.
				s = max(s, m.nearPhrase(l, sc))
			}
		}
		if s <= 0 || math.IsInf(r, -1) {
			break
		}
		out = append(out, Match{Label: m.labels[l], Score: s, Keyword: sc.keyword[l]})
	}
	// A near phrase, the query's closeness in meaning, or in a large bot
	// its typicality, may lift a label above the ones before it.
	for k := 1; k < len(out); k++ {
		if out[k].Score > out[k-1].Score {
			slices.SortStableFunc(out, func(a, b Match) int { return cmp.Compare(b.Score, a.Score) })
			break
		}
	}
	return out
}

// readQuery fills sc.words, sc.terms and sc.known with the tokens of query,
// and reports whether one is a word the matcher does not know.
func (m *Matcher) readQuery(sc *scratch, query string) (unknown bool) {
	sc.toks = m.tokens(sc.toks[:0], query, nil)
	for _, t := range sc.toks {
		kw, ok := m.cache.known[t.Text]
		var stand []standIn
		var vec []float32
		name := false
		read, rkw := t.Text, kw
		if !ok {
			e := m.terms.word(m, t.Text)
			kw = knownWord{term: e.term, cache: -1, phrase: -1, phraseTerm: unseenTerm, mean: -1}
			rkw = kw
			unknown = true
			stand = e.stand
			vec = e.vec
			if m.ext != nil && m.ext.fresh[termHash(e.term)] != nil {
				stand = nil // a label With added knows the term
			} else if e.typo != "" {
				read = e.typo
				var known bool
				if rkw, known = m.cache.known[e.typo]; !known {
					// A word of a label With added: read as the word
					// itself would be.
					a := m.terms.word(m, e.typo)
					rkw = knownWord{term: a.term, cache: -1, phrase: -1, phraseTerm: unseenTerm, mean: -1}
					vec = a.vec
				}
			} else {
				name = e.name
			}
			sc.anyStand = sc.anyStand || stand != nil
		}
		sc.stand = append(sc.stand, stand)
		sc.name = append(sc.name, name)
		sc.vec = append(sc.vec, vec)
		sc.words = append(sc.words, t.Text)
		sc.terms = append(sc.terms, kw.term)
		sc.known = append(sc.known, kw)
		sc.rwords = append(sc.rwords, read)
		sc.rterms = append(sc.rterms, rkw.term)
		sc.rknown = append(sc.rknown, rkw)
	}
	return unknown
}

// fuzzyLabels is how many of the best labels [Matcher.Predict] checks for a
// training phrase within a few typos of the query, when the query has a
// word the matcher does not know.
const fuzzyLabels = 3

// scratch holds the per-query buffers of Predict.
type scratch struct {
	toks      []Token
	words     []string
	terms     []string
	known     []knownWord      // per word
	rwords    []string         // per word: the word as read, a misspelt one as the training word it misspells (see typoOf)
	rterms    []string         // per word: its term as read
	rknown    []knownWord      // per word: as read
	stand     [][]standIn      // per word: its stand-ins, if unknown
	name      []bool           // per word: a name, whose unknown features weigh less (see nameWord)
	nameUnk   [nViews][]uint64 // per view: the hashes of the unknown features of its names, and of word pairs with one
	vec       [][]float32      // per word: its weighted vector, if unknown (see meaningVector)
	mean      []float32        // the query's mean vector (see closeness)
	anyStand  bool             // a word has stand-ins
	si        []standIn        // the query's stand-ins, merged (see addStandIns)
	nearWord  []int32          // per word: its id in the near index, or -1
	nearTerm  []int32          // per word: its term's id in the near index, or -1
	nearRunes []int32          // per word: its length in runes
	extWord   []int32          // per word: its id in the extension's near index, or -1
	extTerm   []int32          // per word: its term's id there, or -1
	unk       [nViews][]uint64 // per view: the hashes of the query's unknown features
	ents      []uint64
	fix       []uint64   // the entries to correct
	set       featureSet // finds them
	dense     []wholeRow // whole rows to add together
	rows      []int32    // cached words, for sumRows
	raw       []float64
	coverage  float64           // the length of the known part of the query's unit vector
	norm      [nViews]float64   // per view: the squared norm of the query's vector
	unkNorm   [nViews]float64   // its part of unknown features
	scale     [nViews]float64   // the factor of the view in the query's vector (see vectorize)
	acc       [nViews][]float32 // per view: the sums of the rows of its features
	keyword   []bool
	slot      []int32 // per label: its place among the labels typicality weighs, or -1
}

func (m *Matcher) getScratch() *scratch {
	if sc, ok := m.pool.Get().(*scratch); ok {
		return sc
	}
	return &scratch{}
}

func (sc *scratch) reset(n int) {
	sc.words, sc.terms, sc.known = sc.words[:0], sc.terms[:0], sc.known[:0]
	sc.rwords, sc.rterms, sc.rknown = sc.rwords[:0], sc.rterms[:0], sc.rknown[:0]
	sc.stand, sc.anyStand, sc.si = sc.stand[:0], false, sc.si[:0]
	sc.vec = sc.vec[:0]
	sc.name = sc.name[:0]
	sc.raw = resize(sc.raw, n)
	for v := range sc.acc {
		if cap(sc.acc[v]) < n {
			sc.acc[v] = make([]float32, n)
		}
		sc.acc[v] = sc.acc[v][:n]
	}
	if cap(sc.keyword) < n {
		sc.keyword = make([]bool, n)
	}
	sc.keyword = sc.keyword[:n]
	clear(sc.keyword)
}

func resize(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// vectorize turns the sorted feature hashes of a text, view by view, into
// a sparse TF-IDF vector over the known features (sublinear term
// frequency), of unit length: the views scaled together, or for a large
// bot (m.large) each view that has features scaled to 1/√nViews of it, so
// that the many character n-grams of a long message do not drown its
// terms and bigrams. Unknown features count in the norms with the largest
// idf, so a query made of words the matcher never saw gets a short known
// part and low scores; when fresh is not nil they are appended to it too,
// scaled with the rest.
func (m *Matcher) vectorize(fs *[nViews][]uint64, idx []int32, val []float32, fresh *extVec) ([]int32, []float32) {
	var start, freshStart [nViews + 1]int
	var norm [nViews]float64
	for v, feats := range fs {
		start[v] = len(val)
		if fresh != nil {
			freshStart[v] = len(fresh.freshV)
		}
		for i := 0; i < len(feats); {
			j := i + 1
			for j < len(feats) && feats[j] == feats[i] {
				j++
			}
			tf := tfWeight(j - i)
			if f, ok := m.vocab[feats[i]]; ok {
				x := tf * m.idf[f]
				idx = append(idx, f)
				val = append(val, x)
				norm[v] += float64(x) * float64(x)
			} else {
				x := tf * m.maxIDFv
				norm[v] += float64(x) * float64(x)
				if fresh != nil {
					fresh.fresh, fresh.freshV = append(fresh.fresh, feats[i]), append(fresh.freshV, x)
				}
			}
			i = j
		}
	}
	start[nViews] = len(val)
	if fresh != nil {
		freshStart[nViews] = len(fresh.freshV)
	}
	scale := m.viewScales(norm)
	for v := range nViews {
		s := float32(scale[v])
		for i := start[v]; i < start[v+1]; i++ {
			val[i] *= s
		}
		if fresh != nil {
			for i := freshStart[v]; i < freshStart[v+1]; i++ {
				fresh.freshV[i] *= s
			}
		}
	}
	return idx, val
}

// viewScales returns the factor of each view of a vector whose views have
// the squared norms norm; see vectorize.
func (m *Matcher) viewScales(norm [nViews]float64) (s [nViews]float64) {
	if m.large {
		for v, n := range norm {
			if n > 0 {
				s[v] = 1 / math.Sqrt(nViews*n)
			}
		}
		return s
	}
	var total float64
	for _, n := range norm {
		total += n
	}
	if total > 0 {
		for v := range s {
			s[v] = 1 / math.Sqrt(total)
		}
	}
	return s
}

// coverage returns the length of the known part of a query's vector,
// given the squared norms of its views and of their unknown features.
func (m *Matcher) coverage(norm, unk [nViews]float64) float64 {
	if m.large {
		var c float64
		for v, n := range norm {
			if n > 0 {
				c += max(0, 1-unk[v]/n) / nViews
			}
		}
		return math.Sqrt(c)
	}
	var n, u float64
	for v := range norm {
		n, u = n+norm[v], u+unk[v]
	}
	if n == 0 {
		return 0
	}
	return math.Sqrt(max(0, 1-u/n))
}

// viewOf returns the view of feature f.
func (m *Matcher) viewOf(f int32) int {
	switch {
	case f < m.viewEnd[viewTerm]:
		return viewTerm
	case f < m.viewEnd[viewPair]:
		return viewPair
	}
	return viewChar
}

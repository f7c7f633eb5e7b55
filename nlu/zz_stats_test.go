package nlu

import (
	"encoding/json"
	"os"
	"testing"
)

var statDense, statSparse, statSparseLen, statCalls, statCorr, statCorrDense, statUncached, statUncachedDense int

func TestZZStats(t *testing.T) {
	data, _ := os.ReadFile("/work/shared/data/clinc150/train_val.json")
	var corpus map[string][][2]string
	json.Unmarshal(data, &corpus)
	mdata, _ := os.ReadFile("/tmp/nlu-speed/clinc.model")
	m, _ := Load(mdata)
	n := 0
	for _, k := range []string{"val", "oos_val"} {
		for _, p := range corpus[k] {
			m.Predict(p[0], Set{})
			n++
		}
	}
	t.Logf("corr %.2f dense %.2f; uncached %.2f dense %.2f", float64(statCorr)/float64(n), float64(statCorrDense)/float64(n), float64(statUncached)/float64(n), float64(statUncachedDense)/float64(n))
	t.Logf("per query: calls %.2f dense %.2f sparse %.2f sparse len %.1f", float64(statCalls)/float64(n), float64(statDense)/float64(n), float64(statSparse)/float64(n), float64(statSparseLen)/float64(statSparse))
}

func TestZZWords(t *testing.T) {
	data, _ := os.ReadFile("/work/shared/data/clinc150/train_val.json")
	var corpus map[string][][2]string
	json.Unmarshal(data, &corpus)
	mdata, _ := os.ReadFile("/tmp/nlu-speed/clinc.model")
	m, _ := Load(mdata)
	var words, unknown, uncached, bigrams, bigramDense int
	for _, k := range []string{"val", "oos_val"} {
		for _, p := range corpus[k] {
			var terms []string
			for _, tk := range Tokenize(p[0]) {
				words++
				kw, ok := m.cache.known[tk.Text]
				if !ok {
					unknown++
					kw.term = m.an.computeTerm(tk.Text)
				} else if kw.cache < 0 {
					uncached++
				}
				terms = append(terms, kw.term)
			}
			for _, h := range bigramFeatures(nil, terms) {
				if f, ok := m.vocab[h]; ok {
					bigrams++
					if m.rows[f+1]-m.rows[f] == int32(len(m.labels)) {
						bigramDense++
					}
				}
			}
		}
	}
	t.Logf("words %d unknown %d uncached %d knownbigrams %d dense %d", words, unknown, uncached, bigrams, bigramDense)
}

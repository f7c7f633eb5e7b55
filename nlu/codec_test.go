package nlu_test

import (
	"crypto/sha256"
	"encoding/hex"
	"runtime"
	"testing"

	"github.com/parleybot/parley/nlu"
)

// TestModelVersion fails when training or the model format changes while
// nlu.ModelVersion stays: a compiled model of the old version would then
// be loaded by a matcher that trains differently. When it fails, bump
// ModelVersion and set the new version and digest here. Float rounding
// differs between CPU architectures (fused multiply-adds), so the digest
// is amd64's.
func TestModelVersion(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("the digest is amd64's")
	}
	const (
		version = 29
		digest  = "454a90524608b24bbf4fccef36d33b7a5a4b54a17638c2cce7cab2ba1051b550"
	)
	data, err := train(t, append([]nlu.Example{{Label: nlu.OutOfScope, Text: "tell me a joke"}}, coffeeExamples...)).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); nlu.ModelVersion != version || got != digest {
		t.Errorf("model version %d, digest %s; want %d, %s: the model changed, so bump nlu.ModelVersion and update this test", nlu.ModelVersion, got, version, digest)
	}
}

// TestMarshalBinarySize checks that MarshalBinary measures the model
// before writing it: the buffer is allocated once, at its size.
func TestMarshalBinarySize(t *testing.T) {
	for name, examples := range map[string][]nlu.Example{
		"coffee":    append([]nlu.Example{{Label: nlu.OutOfScope, Text: "tell me a joke"}, {Label: "menu", Text: "Menu", Keyword: true}}, coffeeExamples...),
		"generated": generatedExamples(150, 20),
	} {
		data, err := train(t, examples).MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if len(data) != cap(data) {
			t.Errorf("%s: a model of %d bytes in a buffer of %d", name, len(data), cap(data))
		}
		if _, err := nlu.Load(data); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// FuzzLoad checks that Load never panics, allocates a bounded amount
// whatever the data, and gives a matcher that predicts without panicking.
func FuzzLoad(f *testing.F) {
	m, err := nlu.Train(append([]nlu.Example{{Label: nlu.OutOfScope, Text: "tell me a joke"}, {Label: "menu", Text: "Menu", Keyword: true}}, coffeeExamples...))
	if err != nil {
		f.Fatal(err)
	}
	data, err := m.MarshalBinary()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(data[:len(data)/2])
	f.Add([]byte("parley-nlu\x00\x03"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		m, err := nlu.Load(data)
		runtime.ReadMemStats(&after)
		// The word cache may take up to 32 MiB; the rest is in
		// proportion to the data.
		if n := after.TotalAlloc - before.TotalAlloc; n > 40<<20+256*uint64(len(data)) {
			t.Errorf("Load of %d bytes allocated %d bytes", len(data), n)
		}
		if err != nil {
			return
		}
		for _, q := range []string{"i want a coffee", "cofee", "tell me a joke", "menu please", "x"} {
			m.Predict(q, nlu.Set{})
			m.Predict(q, m.Set(m.Labels()...))
		}
	})
}

package engine

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/story"
)

// FuzzReadModel checks that the compiled model's reader never panics and
// that what it accepts holds no more bytes than it was given.
func FuzzReadModel(f *testing.F) {
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(`
stories:
  - name: Coffee
    interactions:
      - {name: Welcome, role: start, responses: [{text: "Hi!"}]}
      - {name: Menu, says: [what drinks do you have], responses: [{text: "Latte."}]}
      - {name: Fallback, role: else, responses: [{text: "Sorry?"}]}
`)}}, "bot.yaml")
	if err != nil {
		f.Fatal(err)
	}
	model, err := BuildModel(bot)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(model)
	f.Add(model[:len(model)/2])
	f.Add(model[:len(model)-crc32.Size])
	f.Add([]byte(modelMagic + "\x02"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// As given, and with the checksum made to fit, so that the
		// fuzzer reaches what the checksum guards.
		sealed := binary.LittleEndian.AppendUint32(bytes.Clone(data), crc32.Checksum(data, modelCRC))
		for _, data := range [][]byte{data, sealed} {
			ms, err := readModel(data, bot)
			if err != nil {
				continue
			}
			n := 0
			for id, m := range ms {
				n += len(id) + len(m)
			}
			if n > len(data) {
				t.Errorf("read %d bytes of matchers from %d bytes", n, len(data))
			}
		}
	})
}

package engine

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"log/slog"

	"github.com/parleybot/parley/nlu"
	"github.com/parleybot/parley/story"
)

// A compiled model is the trained matchers of a bot, so that a device
// loads them at start instead of training: BuildModel writes it, and New
// (or Reload) given WithModel uses it when it was built from the same bot
// files by the same training. Its format, all integers unsigned varints:
//
//	"parley-model\x00"
//	format version (modelFormat)
//	the bot's digest (32 bytes, story.Bot.Digest)
//	nlu.ModelVersion, trainingVersion
//	the number of matchers, then each: its key (modelKey), its length,
//	the matcher (nlu.Matcher.MarshalBinary)
//	the CRC-32 (Castagnoli) of all the bytes before it, 4 bytes little-endian
//
// Whatever does not match (other files, another version, damaged data) is
// logged and the engine trains, as it does without a model: a stale model
// costs start-up time, never a wrong answer. The checksum catches what the
// matchers' decoder cannot: a changed weight decodes as well as the right
// one (format 1 had no checksum).
const (
	modelMagic  = "parley-model\x00"
	modelFormat = 2
	// trainingVersion changes whenever what the engine trains a story's
	// matcher on changes for the same bot files (see interactionExamples).
	trainingVersion = 2
)

// modelCRC is the table of the compiled model's checksum.
var modelCRC = crc32.MakeTable(crc32.Castagnoli)

// BuildModel trains the matchers of bot, one per story with phrases, and
// returns them as a compiled model for [WithModel]. It fails where [New]
// would. The model is deterministic: the same bot files give the same
// bytes (on one CPU architecture; float rounding may differ on another,
// where the model still serves). parley build writes one next to the bot
// files.
func BuildModel(bot *story.Bot) ([]byte, error) {
	if bot == nil {
		return nil, ErrNoBot
	}
	cb, err := compile(bot, nil, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		return nil, err
	}
	digest := bot.Digest()
	b := append([]byte(modelMagic), modelFormat)
	b = append(b, digest[:]...)
	b = binary.AppendUvarint(b, nlu.ModelVersion)
	b = binary.AppendUvarint(b, trainingVersion)
	var blobs [][]byte
	var ids []string
	for _, s := range bot.Stories {
		for _, lang := range languages(bot) {
			mt := cb.stories[s.ID].matching[lang]
			if mt == nil {
				continue
			}
			data, err := mt.matcher.MarshalBinary()
			if err != nil {
				return nil, fmt.Errorf("engine: story %q: %w", s.Name, err)
			}
			ids = append(ids, modelKey(s.ID, lang, cb.lang))
			blobs = append(blobs, data)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(blobs)))
	for i, data := range blobs {
		b = binary.AppendUvarint(b, uint64(len(ids[i])))
		b = append(b, ids[i]...)
		b = binary.AppendUvarint(b, uint64(len(data)))
		b = append(b, data...)
	}
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, modelCRC)), nil
}

// WithModel gives New a compiled model built by [BuildModel] (or parley
// build), typically embedded in the program with the bot files. New and
// Reload load a story's matcher from it instead of training when the model
// was built from the same bot files (story.Bot.Digest) by this version of
// Parley and is whole (its checksum fits: a truncated or altered copy does
// not serve); otherwise they train, and log why at level WARN. The default is
// to train. The engine keeps data: the caller must not modify it.
func WithModel(data []byte) Option {
	return func(c *config) error {
		if data == nil {
			return errors.New("engine: WithModel: nil model")
		}
		c.model = data
		return nil
	}
}

// modelKey is the key of a story's matcher in lang in a compiled model:
// the story id, followed by "/" and the language when it is not the
// default def.
func modelKey(storyID, lang, def string) string {
	if lang == def {
		return storyID
	}
	return storyID + "/" + lang
}

// errStale means a compiled model was built from other bot files or by
// another version of Parley.
var errStale = errors.New("built from other bot files or by another version of Parley: run parley build again")

// readModel returns the matchers of a compiled model by key, if the
// model was built from bot by this version of Parley. Damaged data is an
// error; it never panics and allocates no more than the data's size.
func readModel(data []byte, bot *story.Bot) (map[string][]byte, error) {
	rest, ok := cutPrefix(data, modelMagic)
	if !ok {
		return nil, errors.New("not a compiled model")
	}
	format, rest, ok := readUvarint(rest)
	if !ok {
		return nil, errors.New("truncated")
	}
	if format != modelFormat {
		return nil, fmt.Errorf("format %d, want %d: %w", format, modelFormat, errStale)
	}
	if len(rest) < crc32.Size {
		return nil, errors.New("truncated")
	}
	body := data[:len(data)-crc32.Size]
	if crc32.Checksum(body, modelCRC) != binary.LittleEndian.Uint32(data[len(body):]) {
		return nil, errors.New("truncated or damaged: its checksum does not match its contents")
	}
	rest = rest[:len(rest)-crc32.Size]
	digest := bot.Digest()
	if len(rest) < len(digest) {
		return nil, errors.New("truncated")
	}
	builtFrom := rest[:len(digest)]
	nluVersion, rest, ok1 := readUvarint(rest[len(digest):])
	training, rest, ok2 := readUvarint(rest)
	if !ok1 || !ok2 {
		return nil, errors.New("truncated")
	}
	if string(builtFrom) != string(digest[:]) || nluVersion != nlu.ModelVersion || training != trainingVersion {
		return nil, errStale
	}
	n, rest, ok := readUvarint(rest)
	if !ok || n > uint64(len(rest)) {
		return nil, errors.New("truncated")
	}
	out := make(map[string][]byte, n)
	for range n {
		var id, blob []byte
		if id, rest, ok = readBytes(rest); !ok {
			return nil, errors.New("truncated")
		}
		if blob, rest, ok = readBytes(rest); !ok {
			return nil, errors.New("truncated")
		}
		out[string(id)] = blob
	}
	if len(rest) > 0 {
		return nil, fmt.Errorf("%d bytes after the last matcher", len(rest))
	}
	return out, nil
}

func cutPrefix(b []byte, prefix string) ([]byte, bool) {
	if len(b) < len(prefix) || string(b[:len(prefix)]) != prefix {
		return b, false
	}
	return b[len(prefix):], true
}

func readUvarint(b []byte) (uint64, []byte, bool) {
	v, n := binary.Uvarint(b)
	if n <= 0 {
		return 0, b, false
	}
	return v, b[n:], true
}

// readBytes reads a length and that many bytes.
func readBytes(b []byte) ([]byte, []byte, bool) {
	n, rest, ok := readUvarint(b)
	if !ok || n > uint64(len(rest)) {
		return nil, b, false
	}
	return rest[:n], rest[n:], true
}

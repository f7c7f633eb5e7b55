package story

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// maxJSONDepth bounds the nesting of a JSON bot file; the format needs
// far less.
const maxJSONDepth = 64

// parseFile parses a bot file into a YAML node tree: JSON when isJSON,
// else YAML. A nil node with a nil error means the file is empty.
func parseFile(data []byte, isJSON bool) (*yaml.Node, error) {
	if isJSON {
		return parseJSON(data)
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, err
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, err
		}
		return nil, &posError{extra.Line, extra.Column, errors.New("a bot file holds one YAML document; remove the second")}
	}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		return doc.Content[0], nil
	}
	return nil, nil
}

// posError is a parse error at a known position.
type posError struct {
	line, col int
	err       error
}

func (e *posError) Error() string { return e.err.Error() }

// jsonParser turns JSON into YAML nodes with positions.
type jsonParser struct {
	data  []byte
	dec   *json.Decoder
	lines []int // offsets where lines start
}

func parseJSON(data []byte) (*yaml.Node, error) {
	p := &jsonParser{data: data, dec: json.NewDecoder(bytes.NewReader(data)), lines: []int{0}}
	p.dec.UseNumber()
	for i, c := range data {
		if c == '\n' {
			p.lines = append(p.lines, i+1)
		}
	}
	n, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := p.dec.Token(); !errors.Is(err, io.EOF) {
		line, col := p.pos(p.start())
		return nil, &posError{line, col, errors.New("unexpected data after the top-level value")}
	}
	return n, nil
}

// start returns the offset of the next token.
func (p *jsonParser) start() int {
	off := int(p.dec.InputOffset())
	for off < len(p.data) {
		switch p.data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}

func (p *jsonParser) pos(off int) (line, col int) {
	lo, hi := 0, len(p.lines)
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if p.lines[mid] <= off {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + 1, off - p.lines[lo] + 1
}

func (p *jsonParser) fail(off int, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = int(se.Offset)
	}
	line, col := p.pos(off)
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return &posError{line, col, err}
}

func (p *jsonParser) value(depth int) (*yaml.Node, error) {
	off := p.start()
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.fail(off, err)
	}
	line, col := p.pos(off)
	n := &yaml.Node{Line: line, Column: col}
	switch t := tok.(type) {
	case json.Delim:
		if depth >= maxJSONDepth {
			return nil, &posError{line, col, fmt.Errorf("nested more than %d levels deep", maxJSONDepth)}
		}
		if t == '[' {
			n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
			for p.dec.More() {
				c, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, c)
			}
		} else {
			n.Kind, n.Tag = yaml.MappingNode, "!!map"
			for p.dec.More() {
				k, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, k, v)
			}
		}
		end := p.start()
		if _, err := p.dec.Token(); err != nil {
			return nil, p.fail(end, err)
		}
	case string:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!str", t
	case json.Number:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!float", t.String()
		if _, err := strconv.ParseInt(t.String(), 10, 64); err == nil {
			n.Tag = "!!int"
		}
	case bool:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!bool", strconv.FormatBool(t)
	case nil:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!null", "null"
	}
	return n, nil
}

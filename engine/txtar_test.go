package engine_test

import (
	"bytes"
	"strings"
)

// An archive is a txtar archive (Go's internal/txtar format): a comment,
// then files, each introduced by a line "-- name --".
type archive struct {
	comment []byte
	files   []archiveFile
}

type archiveFile struct {
	name string
	data []byte
}

func parseArchive(data []byte) *archive {
	a := new(archive)
	var name string
	a.comment, name, data = findFileMarker(data)
	for name != "" {
		f := archiveFile{name: name}
		f.data, name, data = findFileMarker(data)
		a.files = append(a.files, f)
	}
	return a
}

func formatArchive(a *archive) []byte {
	var buf bytes.Buffer
	buf.Write(fixNL(a.comment))
	for _, f := range a.files {
		buf.WriteString("-- " + f.name + " --\n")
		buf.Write(fixNL(f.data))
	}
	return buf.Bytes()
}

// findFileMarker returns the data before the next file marker, the marker's
// file name, and the data after it.
func findFileMarker(data []byte) (before []byte, name string, after []byte) {
	var i int
	for {
		if name, after = isMarker(data[i:]); name != "" {
			return data[:i], name, after
		}
		j := bytes.Index(data[i:], []byte("\n-- "))
		if j < 0 {
			return fixNL(data), "", nil
		}
		i += j + 1
	}
}

func isMarker(data []byte) (name string, after []byte) {
	if !bytes.HasPrefix(data, []byte("-- ")) {
		return "", nil
	}
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		data, after = data[:i], data[i+1:]
	}
	if !(bytes.HasSuffix(data, []byte(" --")) && len(data) >= len("-- x --")) {
		return "", nil
	}
	return strings.TrimSpace(string(data[2 : len(data)-2])), after
}

func fixNL(data []byte) []byte {
	if len(data) == 0 || data[len(data)-1] == '\n' {
		return data
	}
	return append(data[:len(data):len(data)], '\n')
}

package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"
)

//go:embed static
var static embed.FS

// Policy is the Content-Security-Policy sent with every file: everything
// from the serving origin only, no inline script or style, no framing.
const Policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// A file is one embedded file, read once.
type file struct {
	body  []byte
	etag  string
	ctype string
}

// files maps a request path ("/widget.js", "/kiosk/") to its file.
var files = func() map[string]file {
	m := map[string]file{}
	err := fs.WalkDir(static, "static", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := static.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		p := strings.TrimPrefix(name, "static")
		f := file{body: body, etag: `"` + hex.EncodeToString(sum[:16]) + `"`, ctype: contentTypes[path.Ext(name)]}
		m[p] = f
		if path.Base(p) == "index.html" {
			m[path.Dir(p)+"/"] = f
		}
		return nil
	})
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return m
}()

var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".ico":  "image/x-icon",
}

// owns reports whether p is one of the web face's paths, or a section
// named without its slash (which redirects to it).
func owns(p string) bool {
	switch p {
	case "/widget.js", "/widget.css", "/kiosk", "/console", "/dashboard":
		return true
	}
	for _, s := range sections {
		if strings.HasPrefix(p, s) {
			return true
		}
	}
	return false
}

// canonical reports whether p is rooted and has no "." or ".." elements
// and no repeated slashes.
func canonical(p string) bool {
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c == p
}

// sections are the web face's directories; /lib/ holds what the console
// and the dashboard share.
var sections = []string{"/kiosk/", "/console/", "/dashboard/", "/lib/"}

func serveFile(w http.ResponseWriter, r *http.Request) {
	if slices.Contains(sections, r.URL.Path+"/") {
		http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
		return
	}
	f, ok := files[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", Policy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", f.etag)
	h.Set("Content-Type", f.ctype)
	if r.URL.Path == "/widget.js" || r.URL.Path == "/widget.css" {
		// Other sites' pages load these: let them read them too (for
		// Subresource Integrity, or tools that read style sheets).
		h.Set("Access-Control-Allow-Origin", "*")
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
}

// New returns a handler that serves the embedded files at their paths
// (see the package doc; /kiosk, /console and /dashboard redirect to the
// same with a slash) and passes every other request to api, such as an
// *httpadapter.Handler, unchanged. Only GET and HEAD reach the files; a
// path under a section that names no file is a 404. A path that is not
// canonical ("/kiosk//", "/kiosk/../console/") goes to api too, which
// answers it with its own error (httpadapter: a JSON 404 naming the
// canonical path).
func New(api http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if owns(r.URL.Path) && canonical(r.URL.Path) {
			serveFile(w, r)
			return
		}
		api.ServeHTTP(w, r)
	})
}

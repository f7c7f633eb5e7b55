package browsertest_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parleybot/parley/internal/browsertest"
)

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>harness</title></head>
<body><main>
<h1>Harness</h1>
<button id="b" type="button">Tap me</button>
<p id="out"></p>
<script src="/page.js"></script>
</main></body></html>`

const script = `
document.getElementById('b').addEventListener('click', () => {
  document.getElementById('out').textContent = 'tapped';
});
window.provoke = () => {
  const s = document.createElement('script');
  s.textContent = 'window.inlineRan = true';
  document.body.appendChild(s);
  const i = document.createElement('img');
  i.src = 'http://192.0.2.1/x.png';
  document.body.appendChild(i);
  return true;
};
`

func server(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "script-src 'self'; img-src *")
		if r.URL.Path == "/page.js" {
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, script)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, page)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestPage(t *testing.T) {
	srv := server(t)
	b := browsertest.Start(t, srv.Listener.Addr().String())
	t.Setenv("PARLEY_SCREENSHOTS", t.TempDir())
	p := b.NewPage(t, "harness")
	p.Navigate(srv.URL + "/")
	p.Tap(`document.getElementById('b')`)
	p.Wait("the tap's effect", `document.getElementById('out').textContent === 'tapped'`)
	var title string
	p.Eval(`document.title`, &title)
	if title != "harness" {
		t.Errorf("title %q, want harness", title)
	}
	shot := p.Screenshot("tapped")
	if shot == "" || filepath.Dir(filepath.Dir(shot)) != os.Getenv("PARLEY_SCREENSHOTS") {
		t.Errorf("screenshot at %q, want under $PARLEY_SCREENSHOTS", shot)
	}
	if data, err := os.ReadFile(shot); err != nil || !strings.HasPrefix(string(data), "\x89PNG") {
		t.Errorf("screenshot %s is not a PNG (%v)", shot, err)
	}
	p.Axe()
}

// An inline script (refused by the policy) and a request to another host
// are problems that fail the test.
func TestProblems(t *testing.T) {
	srv := server(t)
	b := browsertest.Start(t, srv.Listener.Addr().String())
	p := b.NewPage(t, "problems")
	p.Navigate(srv.URL + "/")
	p.Eval(`provoke()`, nil)
	p.Wait("the image's request", `performance.getEntriesByType('resource').some(e => e.name.includes('192.0.2.1'))`)
	var csp, host bool
	for _, pr := range p.Problems() {
		csp = csp || strings.Contains(pr, "Content Security Policy")
		host = host || strings.Contains(pr, "request to a host not allowed: http://192.0.2.1/x.png")
	}
	if !csp || !host {
		t.Errorf("recorded a policy violation %v, a request to another host %v; want both", csp, host)
	}
}

// Axe finds a button without a name.
func TestViolations(t *testing.T) {
	srv := server(t)
	b := browsertest.Start(t, srv.Listener.Addr().String())
	p := b.NewPage(t, "violations")
	p.Navigate(srv.URL + "/")
	p.Eval(`document.querySelector('main').appendChild(document.createElement('button')) && 0`, nil)
	vs := p.Violations()
	if browsertest.AxeScript() == "" {
		t.Skip("axe-core not found")
	}
	found := false
	for _, v := range vs {
		found = found || v.ID == "button-name" && v.Impact == "critical"
	}
	if !found {
		t.Errorf("violations %+v, want button-name (critical)", vs)
	}
}

package browsertest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
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
<button id="slow" type="button">Tap me slowly</button>
<p id="out"></p>
<p id="hidden" hidden>Not shown</p>
<div id="host"></div>
<script src="/page.js"></script>
</main></body></html>`

const script = `
const b = document.getElementById('b');
b.addEventListener('click', () => {
  document.getElementById('out').textContent = 'tapped';
});
// A page busy with a touch's start delays its end, as a loaded machine
// does.
const slow = document.getElementById('slow');
slow.addEventListener('touchstart', () => {
  const end = performance.now() + 400;
  while (performance.now() < end) {}
});
slow.addEventListener('click', () => {
  document.getElementById('out').textContent = 'tapped slowly';
});
document.getElementById('host').attachShadow({mode: 'open'}).textContent = 'In the shadow';
window.seen = [];
for (const type of ['touchstart', 'pointerdown', 'keydown']) {
  b.addEventListener(type, e => seen.push(type + ':' + (e.pointerType || e.key || '')));
}
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

func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }

// compact returns the JSON v with its keys sorted, without spaces.
func compact(t *testing.T, v json.RawMessage) string {
	var x any
	if err := json.Unmarshal(v, &x); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(x)
	return string(b)
}

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

func TestPage(t *testing.T) { browsertest.Each(t, testPage) }

func testPage(t *testing.T, k browsertest.Kind) {
	srv := server(t)
	b := k.Start(t, srv.Listener.Addr().String())
	t.Setenv("PARLEY_SCREENSHOTS", t.TempDir())
	p := b.NewPage(t, "harness")
	p.Navigate(srv.URL + "/")
	p.Tap(`document.getElementById('b')`)
	p.Wait("the tap's effect", `document.getElementById('out').textContent === 'tapped'`)
	p.Click(`document.getElementById('b')`)
	p.Type("a\r")
	// A tap is a touch, a click a mouse's, and typing real key presses.
	var seen []string
	p.Eval(`seen`, &seen)
	if want := "[pointerdown:touch touchstart: pointerdown:mouse keydown:a keydown:Enter]"; fmt.Sprint(seen) != want {
		t.Errorf("events %v, want %s", seen, want)
	}
	var title string
	p.Eval(`document.title`, &title)
	if title != "harness" {
		t.Errorf("title %q, want harness", title)
	}
	// Values arrive as JSON.stringify gives them, in every browser.
	var v json.RawMessage
	p.Eval(`Promise.resolve({a: [1, 'ü', null, true, 1.5, NaN, -0], o: {e: {}, u: undefined}, b: document.body.id})`, &v)
	if want := `{"a":[1,"ü",null,true,1.5,null,0],"b":"","o":{"e":{}}}`; compact(t, v) != want {
		t.Errorf("eval: %s, want %s", v, want)
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

// A tap whose touch ends long after it started, because the machine or
// the page is slow, is still a tap.
func TestSlowTap(t *testing.T) { browsertest.Each(t, testSlowTap) }

func testSlowTap(t *testing.T, k browsertest.Kind) {
	srv := server(t)
	b := k.Start(t, srv.Listener.Addr().String())
	p := b.NewPage(t, "slow")
	p.Emulate(browsertest.Screen{Width: 800, Height: 600, Touch: true})
	p.Navigate(srv.URL + "/")
	p.Tap(`document.getElementById('slow')`)
	p.Wait("the click of a tap of 400 ms", `document.getElementById('out').textContent === 'tapped slowly'`)
}

// An inline script (refused by the policy) and a request to another host
// are problems that fail the test.
func TestProblems(t *testing.T) { browsertest.Each(t, testProblems) }

func testProblems(t *testing.T, k browsertest.Kind) {
	srv := server(t)
	b := k.Start(t, srv.Listener.Addr().String())
	p := b.NewPage(t, "problems")
	p.Navigate(srv.URL + "/")
	p.Eval(`provoke()`, nil)
	p.Wait("the image's request", `performance.getEntriesByType('resource').some(e => e.name.includes('192.0.2.1'))`)
	var csp, host bool
	problems := p.Problems()
	for _, pr := range problems {
		csp = csp || strings.Contains(pr, "Content Security Policy") || strings.Contains(pr, "Content-Security-Policy")
		host = host || strings.Contains(pr, "request to a host not allowed: http://192.0.2.1/x.png")
	}
	if !csp || !host {
		t.Errorf("recorded a policy violation %v, a request to another host %v; want both, in %q", csp, host, problems)
	}
}

// Axe finds a button without a name.
func TestViolations(t *testing.T) { browsertest.Each(t, testViolations) }

func testViolations(t *testing.T, k browsertest.Kind) {
	srv := server(t)
	b := k.Start(t, srv.Listener.Addr().String())
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

// A browser that cannot be found fails the test under
// PARLEY_BROWSER=required, saying which, and skips it otherwise.
func TestMissingBrowser(t *testing.T) {
	if os.Getenv("BROWSERTEST_MISSING") != "" {
		browsertest.Kind(os.Getenv("BROWSERTEST_MISSING")).Start(t)
		return
	}
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	for _, k := range browsertest.Kinds {
		for _, req := range []string{"required", ""} {
			cmd := exec.Command(os.Args[0], "-test.run=^TestMissingBrowser$", "-test.v")
			cmd.Env = append(os.Environ(), "BROWSERTEST_MISSING="+string(k), "PARLEY_BROWSER="+req,
				"PARLEY_CHROMIUM=/nonexistent/chromium", "PARLEY_FIREFOX=/nonexistent/firefox")
			out, err := cmd.CombinedOutput()
			want, result := "--- SKIP", "cannot start /nonexistent/"+string(k)
			if req == "required" {
				want = "--- FAIL"
			}
			if !strings.Contains(string(out), want) || !strings.Contains(string(out), result) || (req == "required") != (err != nil) {
				t.Errorf("%s, PARLEY_BROWSER=%q: %v\n%s\nwant %s saying %q", k, req, err, out, want, result)
			}
		}
	}
}

package browsertest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A failure quotes the end of what the page shows, shadow roots
// included, hidden elements and scripts left out.
func TestShows(t *testing.T) { Each(t, testShows) }

func testShows(t *testing.T, k Kind) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/page.js" {
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, `document.getElementById('host').attachShadow({mode: 'open'}).textContent = 'In the shadow';
document.getElementById('long').textContent = 'x'.repeat(3000) + ' the end';`)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<!doctype html><html lang="en"><head><title>shows</title></head><body>
<h1>Order   here</h1><p hidden>Not shown</p><div id="host"></div><p id="long"></p>
<script src="/page.js"></script></body></html>`)
	}))
	t.Cleanup(srv.Close)
	b := k.Start(t, srv.Listener.Addr().String())
	p := b.NewPage(t, "shows")
	p.Navigate(srv.URL + "/")
	got := p.shows()
	if !strings.HasPrefix(got, "the page at "+srv.URL+"/ shows: …") || !strings.HasSuffix(got, "x the end") ||
		len([]rune(got[strings.Index(got, "…"):])) != showsMax+1 {
		t.Errorf("shows %q, want the address and the last %d characters of the text", got, showsMax)
	}
	p.Eval(`document.getElementById('long').remove()`, nil)
	got = p.shows()
	if want := "the page at " + srv.URL + "/ shows: Order here | In the shadow"; got != want {
		t.Errorf("shows %q, want %q", got, want)
	}
}

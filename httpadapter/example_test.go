package httpadapter_test

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing/fstest"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/httpadapter"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
)

// A host mounts the Handler in its own mux and gives web pages the client
// token, which may only chat.
func ExampleNew() {
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(`stories:
  - name: Coffee
    interactions:
      - {name: Welcome, role: start, responses: [{text: "Hi!"}]}
      - {name: Order, says: [a large latte please, i want a coffee], responses: [{text: Coming up.}]}
      - {name: Fallback, role: else, responses: [{text: "Sorry, I only make coffee."}]}
`)}}, "bot.yaml")
	if err != nil {
		log.Fatal(err)
	}
	db, err := badgerstore.Open("", badgerstore.InMemory())
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	eng, err := engine.New(db, bot)
	if err != nil {
		log.Fatal(err)
	}
	api, err := httpadapter.New(eng, httpadapter.WithClientToken("web-secret"), httpadapter.WithDeveloperToken("dev-secret"))
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", http.StripPrefix("/api", api))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	post := func(token, body string) {
		req, _ := http.NewRequest("POST", srv.URL+"/api/query", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct {
			Result struct {
				Fulfillment []struct{ Message string }
			}
			Status struct{ Message string }
			Field  string
		}
		json.NewDecoder(resp.Body).Decode(&out)
		if resp.StatusCode != http.StatusOK {
			fmt.Printf("%d %s: %s\n", resp.StatusCode, out.Field, out.Status.Message)
			return
		}
		fmt.Println(resp.StatusCode, out.Result.Fulfillment[0].Message)
	}
	post("web-secret", `{"sessionId": "widget-session-1", "query": "a large latte please"}`)
	post("web-secret", `{"sessionId": "short", "query": "a large latte please"}`)
	post("wrong", `{"sessionId": "widget-session-1", "query": "hello"}`)
	// Output:
	// 200 Coming up.
	// 400 sessionId: must be 10 to 64 characters
	// 401 : a valid bearer token is required
}

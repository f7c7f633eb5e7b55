package engine_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing/fstest"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
)

// A bot whose brewing is a web service names its URL in its settings: the
// engine posts each call there, signed with the host's token, and the
// service's reply becomes part of the answer. A service that fails or is
// too slow leaves the answer to the interaction's fallback.
func ExampleWithWebhookURLs() {
	kitchen := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get(engine.HeaderSignature) != engine.Sign("kitchen-secret", body) {
			http.Error(w, "not signed", http.StatusForbidden)
			return
		}
		var call engine.WebhookRequest
		json.Unmarshal(body, &call)
		fmt.Fprintf(w, `{"messages": ["Brewing your %s now."], "sessionAttributes": {"order": "A12"}}`, call.Parameters["drink"])
	}))
	defer kitchen.Close()
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(`
settings:
  webhooks:
    brew: {url: "` + kitchen.URL + `/brew", timeout: 3s}
attributes: [order]    # set by the kitchen
entities: [{name: drink, values: [latte, espresso]}]
stories:
  - name: Coffee
    interactions:
      - {name: Welcome, role: start, responses: [{text: Hi!}]}
      - name: Brew
        says: [a latte please, an espresso please]
        parameters: [{name: drink, entity: drink}]
        responses: [{webhook: brew}, {text: "Your order is {{order|lost}}."}]
      - {name: Fallback, role: else, responses: [{text: "Sorry, the machine is down."}]}
`)}}, "bot.yaml")
	if err != nil {
		log.Fatal(err)
	}
	db, err := badgerstore.Open("", badgerstore.InMemory())
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	e, err := engine.New(db, bot, engine.WithWebhookURLs(engine.WebhookURLs{Token: "kitchen-secret"}))
	if err != nil {
		log.Fatal(err)
	}
	resp, err := e.Chat(context.Background(), engine.Request{SessionID: "kiosk-0001", Query: "a latte please"})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range resp.Result.Fulfillment {
		fmt.Println(f.Message)
	}
	// Output:
	// Brewing your latte now.
	// Your order is A12.
}

package story_test

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/parleybot/parley/story"
)

func TestMeetingAction(t *testing.T) {
	const head = `
stories:
  - name: Sales
    interactions:
      - {name: Welcome, role: start, responses: [{text: "Hi"}]}
      - {name: Fallback, role: else, responses: [{text: "Sorry?"}]}
      - name: Demo
        says: [book a demo]
        parameters: [{name: slot, entity: sys.any, required: true, prompts: ["When?"]}]
        responses:
`
	bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(head + `          - meeting: {title: "Demo for {{default_name|you}}", start: "{{slot}}", minutes: 45, notes: "from the bot"}
          - text: "Booked"
`)}}, "bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r := bot.Stories[0].Interactions[2].Responses[0]
	if r.Kind != story.KindMeeting || r.Meeting.Length != 45*time.Minute || r.Meeting.Notes == nil || r.Kind.String() != "meeting" {
		t.Errorf("meeting: got %+v", r)
	}
	for name, c := range map[string]struct{ yaml, want string }{
		"ErrNoStart":    {`          - meeting: {title: "Demo"}`, "meeting needs a start"},
		"ErrMinutes":    {`          - meeting: {title: "Demo", start: "{{slot}}", minutes: 2}`, "meeting minutes"},
		"ErrUnknownKey": {`          - meeting: {title: "Demo", start: "{{slot}}", room: 4}`, "room"},
		"ErrTemplate":   {`          - meeting: {title: "Demo", start: "{{nowhere}}"}`, "nowhere"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(head + c.yaml + "\n")}}, "bot.yaml")
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "bot.yaml:") {
				t.Errorf("got %v, want an error at its line about %q", err, c.want)
			}
		})
	}
}

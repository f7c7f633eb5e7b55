package story_test

import (
	"errors"
	"fmt"
	"testing/fstest"
	"time"

	"github.com/parleybot/parley/story"
)

func ExampleLoad() {
	fsys := fstest.MapFS{"coffee.yaml": {Data: []byte(`
settings: {language: english, confidence: 0.5, lifespan: 2, session_timeout: 10m}
attributes: [loyalty_level]
entities:
  - name: size
    values:
      - {value: large, synonyms: [big, grande]}
      - small
stories:
  - name: Coffee
    interactions:
      - name: Welcome
        role: start
        responses:
          - text: "Hi {{default_name|there}}!"
      - name: Order
        says: [a large latte please, i want a coffee]
        parameters:
          - {name: size, entity: size, required: true, prompts: ["Which size?"]}
        responses:
          - text: ["One {{size}} coffee coming up.", "A {{size}} one, sure."]
          - set: {session: {last_size: "{{size}}"}}
      - name: Cancel
        parent: Order
        says: [no, cancel]
        responses: [{text: Cancelled.}, {reset: true}]
      - name: Fallback
        role: else
        says: [what's the weather]
        responses: [{text: "Sorry, I only make coffee."}]
`)}}
	bot, err := story.Load(fsys, "coffee.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	s := bot.DefaultStory()
	fmt.Println(s.Name, "welcome:", s.Welcome.Name, "fallback:", s.Fallback.Name)
	order := s.InteractionByName("Order")
	fmt.Println(order.Name, "id:", order.ID, "children:", order.Children[0].Name)
	fmt.Println(order.Phrases[0].Text, "->", order.Parameters[0].Custom.Values[0].Synonyms)
	params := map[string]string{"size": "large"}
	text := order.Responses[0].Text[0].Render(func(name string) (string, bool) {
		v, ok := params[name]
		return v, ok
	})
	fmt.Println(text)
	// Output:
	// Coffee welcome: Welcome fallback: Fallback
	// Order id: 455fa726ba0eb025716b89b7 children: Cancel
	// a large latte please -> [big grande]
	// One large coffee coming up.
}

func ExampleLoad_errors() {
	fsys := fstest.MapFS{"bot.yaml": {Data: []byte(`stories:
  - name: S
    interactions:
      - name: Hi
        role: start
        responses:
          - goto: Nowhere
          - text: "Hello {{nickname}}"
`)}}
	_, err := story.Load(fsys, "bot.yaml")
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var se *story.Error
		if errors.As(e, &se) {
			fmt.Printf("line %d, column %d: %s\n", se.Line, se.Col, se.Msg)
		}
	}
	// Output:
	// line 2, column 11: story "S" has no fallback interaction: give one root interaction role: else
	// line 7, column 19: goto to unknown interaction "Nowhere": no interaction of story "S" has that name, and no interaction has that id
	// line 8, column 19: {{nickname}} names nothing that can exist: it is not a parameter of interaction "Hi" or of its parents, not a default_ attribute, not set by any interaction, and not declared under attributes
}

func ExampleCondition_Eval() {
	c, err := story.CompileCondition(`int(user.age) >= 18 && weekday in ["saturday", "sunday"]`)
	if err != nil {
		fmt.Println(err)
		return
	}
	ok, err := c.Eval(&story.Env{
		User: map[string]string{"age": "30"},
		Time: time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC), // a Saturday
	})
	fmt.Println(ok, err)
	// Output: true <nil>
}

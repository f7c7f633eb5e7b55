package story_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/story"
)

// base is a valid story with a welcome and a fallback; cases append
// interactions from line 6 on.
const base = `stories:
  - name: S
    interactions:
      - {name: Hi, role: start}
      - {name: Else, role: else}
`

// TestLoadErrors has one bad bot per validation rule and the positioned
// errors it must produce, in order. Each want is the start of an error's
// text: "file:line:col: message".
func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string // default: bot.yaml holding bot
		bot   string
		want  []string
	}{
		// The file.
		{name: "ErrSyntax", bot: "stories:\n  - name: [\n", want: []string{"bot.yaml:3: syntax error: did not find expected node content"}},
		{name: "ErrSyntaxJSON", files: map[string]string{"bot.json": "{\n  \"stories\": [\n    {\"name\": }\n  ]\n}\n"},
			want: []string{"bot.json:3:14: syntax error: invalid character '}'"}},
		{name: "ErrSyntaxFlow", bot: "a: 1\nb: 2\nc: {x: y?, z: 1}\nd: 4\n", want: []string{"bot.yaml:3: syntax error: did not find expected ',' or '}' (in the block or collection that starts here); YAML ends a text at \"?\" in a [ ] or { } list: quote it ([\"which size?\"]) or write the list one item a line (\"- which size?\")"}},
		{name: "ErrSyntaxQuestionInFlow", bot: "stories:\n  - name: S\n    interactions:\n      - name: Open\n        says: [are you open today?, \"when do you open?\"] # open?\n",
			want: []string{`bot.yaml:5: syntax error: did not find expected ',' or ']' (in the block or collection that starts here); YAML ends a text at "?" in a [ ] or { } list: quote it (["which size?"]) or write the list one item a line ("- which size?")`}},
		{name: "ErrSyntaxMarkInFlow", bot: "stories:\n  - name: S\n    interactions:\n      - name: Order\n        says: [a coffee, i want a [large](size) latte]\n",
			want: []string{`bot.yaml:5: syntax error: did not find expected ',' or ']' (in the block or collection that starts here); a phrase with a [value](parameter) mark in a [ ] list needs quotes: ["a [large](size) latte"]`}},
		{name: "ErrSyntaxScanner", bot: "a: 1\nb: 2\nc: x: y\nd: 4\n", want: []string{"bot.yaml:3: syntax error: mapping values are not allowed in this context"}},
		{name: "ErrEmptyFile", bot: "# nothing\n", want: []string{"bot.yaml: bot file is empty"}},
		{name: "ErrTwoDocuments", bot: base + "---\nstories: []\n", want: []string{"bot.yaml:6:1: syntax error: a bot file holds one YAML document"}},
		{name: "ErrAlias", bot: base + "      - name: A\n        says: &x [hello]\n        keywords: *x\n",
			want: []string{"bot.yaml:8:19: YAML aliases (*name) are not supported"}},
		{name: "ErrMissingFile", files: map[string]string{}, want: []string{"bot.yaml: cannot read bot file"}},
		{name: "ErrNoStories", bot: "attributes: [a]\n", want: []string{"bot.yaml: the bot has no stories"}},
		{name: "ErrNotAMapping", bot: "- stories\n", want: []string{"bot.yaml:1:1: bot file must be a mapping of fields"}},
		{name: "ErrUnknownField", bot: base + "      - name: A\n        sayz: [hello]\n",
			want: []string{`bot.yaml:7:9: unknown field "sayz" in interaction; known fields: id, name, role,`}},
		{name: "ErrUnknownTopLevelField", bot: "story: []\n" + base,
			want: []string{`bot.yaml:1:1: unknown field "story" in bot file`}},
		{name: "ErrDuplicateField", bot: base + "      - name: A\n        says: [a]\n        says: [b]\n",
			want: []string{`bot.yaml:8:9: duplicate field "says" in interaction`}},
		{name: "ErrNotAString", bot: base + "      - name: A\n        action: [x]\n",
			want: []string{"bot.yaml:7:17: action must be a string"}},
		{name: "ErrNotAList", bot: base + "      - name: A\n        parameters: {name: x}\n",
			want: []string{"bot.yaml:7:21: parameters must be a list"}},

		// Settings.
		{name: "ErrLanguage", bot: "settings: {language: \"klingon 2\"}\n" + base,
			want: []string{`bot.yaml:1:22: language "klingon 2" is not a language name (such as arabic,`}},
		{name: "ErrConfidence", bot: "settings: {confidence: 1.5}\n" + base,
			want: []string{"bot.yaml:1:24: confidence is 1.5, outside 0.1 to 1"}},
		{name: "ErrLifespan", bot: "settings: {lifespan: 0}\n" + base,
			want: []string{"bot.yaml:1:22: lifespan is 0, outside 1 to 10"}},
		{name: "ErrLifespanNotInt", bot: "settings: {lifespan: two}\n" + base,
			want: []string{"bot.yaml:1:22: lifespan must be a whole number"}},
		{name: "ErrSessionTimeout", bot: "settings: {session_timeout: 10 minutes}\n" + base,
			want: []string{`bot.yaml:1:29: session_timeout "10 minutes" is not a duration`}},
		{name: "ErrSessionTimeoutRange", bot: "settings: {session_timeout: 48h}\n" + base,
			want: []string{"bot.yaml:1:29: session_timeout is 48h0m0s, outside 1m0s to 24h0m0s"}},
		{name: "ErrSettingsTwice", files: map[string]string{"a.yaml": "settings: {lifespan: 3}\n" + base, "b.yaml": "settings: {lifespan: 4}\n"},
			want: []string{"b.yaml:1:11: settings are already given at a.yaml:1:11"}},
		{name: "ErrDefaultStory", bot: "settings: {default_story: Nope}\n" + base,
			want: []string{`bot.yaml:1:27: default_story "Nope" is not a story of the bot`}},

		// Entities and parameters.
		{name: "ErrDuplicateEntity", bot: "entities:\n  - {name: size, values: [small]}\n  - {name: size, values: [large]}\n" + base,
			want: []string{`bot.yaml:3:12: duplicate entity "size", first defined at bot.yaml:2:5`}},
		{name: "ErrEntityWithoutValues", bot: "entities:\n  - name: size\n" + base,
			want: []string{`bot.yaml:2:5: entity "size" needs values`}},
		{name: "ErrEntityName", bot: "entities:\n  - {name: sys.size, values: [small]}\n" + base,
			want: []string{`bot.yaml:2:12: entity name "sys.size" may contain only letters, digits, '_' and '-'`}},
		{name: "ErrAmbiguousSynonym", bot: "entities:\n  - name: size\n    values:\n      - {value: small, synonyms: [short]}\n      - {value: tall, synonyms: [Short]}\n" + base,
			want: []string{`bot.yaml:5:34: "Short" is already a word for value "small" of entity "size"`}},
		{name: "ErrUndefinedEntity", bot: base + "      - name: A\n        parameters:\n          - {name: size, entity: size}\n",
			want: []string{`bot.yaml:8:34: entity "size" is not defined; define it under entities, or use a system entity`}},
		{name: "ErrUnknownSystemEntity", bot: base + "      - name: A\n        parameters:\n          - {name: d, entity: sys.date}\n",
			want: []string{`bot.yaml:8:31: unknown system entity "sys.date"`}},
		{name: "ErrDuplicateParameter", bot: base + "      - name: A\n        parameters:\n          - {name: n, entity: sys.number}\n          - {name: n, entity: sys.integer}\n",
			want: []string{`bot.yaml:9:20: duplicate parameter "n" in interaction "A"`}},
		{name: "ErrRequiredWithoutPrompts", bot: base + "      - name: A\n        parameters:\n          - {name: n, entity: sys.number, required: true}\n",
			want: []string{`bot.yaml:8:13: required parameter "n" needs prompts to ask for it`}},
		{name: "ErrRetries", bot: base + "      - name: A\n        parameters:\n          - {name: n, entity: sys.number, retries: 11}\n",
			want: []string{"bot.yaml:8:52: retries is 11, outside 0 to 10"}},
		{name: "ErrParameterName", bot: base + "      - name: A\n        parameters:\n          - {name: my size, entity: sys.number}\n",
			want: []string{`bot.yaml:8:20: parameter name "my size" may contain only letters, digits, '_' and '-'`}},

		// Stories and interactions.
		{name: "ErrDuplicateStory", bot: base + "  - name: S\n    interactions: []\n",
			want: []string{`bot.yaml:6:11: duplicate story "S", first defined at bot.yaml:2:5`}},
		{name: "ErrDuplicateInteraction", bot: base + "      - name: Hi\n",
			want: []string{`bot.yaml:6:15: duplicate interaction "Hi" in story "S", first defined at bot.yaml:4:9`}},
		{name: "ErrMissingWelcome", bot: "stories:\n  - name: S\n    interactions:\n      - {name: Else, role: else}\n",
			want: []string{`bot.yaml:2:11: story "S" has no welcome interaction: give one root interaction role: start`}},
		{name: "ErrMissingFallback", bot: "stories:\n  - name: S\n    interactions:\n      - {name: Hi, role: start}\n",
			want: []string{`bot.yaml:2:11: story "S" has no fallback interaction: give one root interaction role: else`}},
		{name: "ErrMissingInteractions", bot: "stories:\n  - name: S\n",
			want: []string{`bot.yaml:2:5: story "S" needs interactions`}},
		{name: "ErrTwoWelcomes", bot: base + "      - {name: Hello, role: start}\n",
			want: []string{`bot.yaml:6:29: story "S" has two welcome interactions (role: start): "Hi" and "Hello"`}},
		{name: "ErrTwoFallbacks", bot: base + "      - {name: Else2, role: else}\n",
			want: []string{`bot.yaml:6:29: "Else" and "Else2" are both fallbacks (role: else) at the same level`}},
		{name: "ErrTwoContextualFallbacks", bot: base + "      - {name: A}\n      - {name: B, parent: A, role: else}\n      - {name: C, parent: A, role: else}\n",
			want: []string{`bot.yaml:8:36: "B" and "C" are both fallbacks (role: else) at the same level`}},
		{name: "ErrWelcomeWithParent", bot: base + "      - {name: A}\n      - {name: B, parent: A, role: start}\n",
			want: []string{
				`bot.yaml:7:36: interaction "B" has role start but a parent`,
			}},
		{name: "ErrRole", bot: base + "      - {name: A, role: welcome}\n",
			want: []string{`bot.yaml:6:25: role "welcome" is neither start nor else`}},
		{name: "ErrID", bot: base + "      - {name: A, id: 5B07FFAFC2376E30306D9B16}\n",
			want: []string{`bot.yaml:6:23: id "5B07FFAFC2376E30306D9B16" must be 24 lowercase hexadecimal digits`}},
		{name: "ErrDuplicateID", bot: base + "      - {name: A, id: 5b07ffafc2376e30306d9b16}\n      - {name: B, id: 5b07ffafc2376e30306d9b16}\n",
			want: []string{`bot.yaml:7:23: interaction "B" has id 5b07ffafc2376e30306d9b16, already the id of interaction "A" at bot.yaml:6:23`}},
		{name: "ErrUnknownParent", bot: base + "      - {name: A, parent: Nope}\n",
			want: []string{`bot.yaml:6:27: parent "Nope" is not an interaction of story "S"`}},
		{name: "ErrCycleOfChildren", bot: base + "      - {name: A, parent: C}\n      - {name: B, parent: A}\n      - {name: C, parent: B}\n",
			want: []string{
				`bot.yaml:6:27: interaction "A" is in a cycle of children: A -> C -> B -> A`,
				`bot.yaml:7:27: interaction "B" is in a cycle of children: B -> A -> C -> B`,
				`bot.yaml:8:27: interaction "C" is in a cycle of children: C -> B -> A -> C`,
			}},
		{name: "ErrOwnParent", bot: base + "      - {name: A, parent: A}\n",
			want: []string{`bot.yaml:6:27: interaction "A" is in a cycle of children: A -> A`}},
		{name: "ErrGotoUnknown", bot: base + "      - name: A\n        responses:\n          - goto: Nope\n",
			want: []string{`bot.yaml:8:19: goto to unknown interaction "Nope": no interaction of story "S" has that name, and no interaction has that id`}},
		{name: "ErrGotoUnknownID", bot: base + "      - name: A\n        responses:\n          - goto: 5b07ffafc2376e30306d9b16\n",
			want: []string{`bot.yaml:8:19: goto to unknown interaction "5b07ffafc2376e30306d9b16"`}},
		{name: "ErrReferenceUnknown", bot: base + "      - {name: A, reference: Nope}\n",
			want: []string{`bot.yaml:6:30: reference to unknown interaction "Nope"`}},
		{name: "ErrReferenceToReference", bot: base + "      - {name: A, reference: B}\n      - {name: B, reference: Hi}\n",
			want: []string{`bot.yaml:6:30: interaction "A" references "B", which is itself a reference; reference "Hi" directly`}},
		{name: "ErrReferenceToItself", bot: base + "      - {name: A, reference: A}\n",
			want: []string{`bot.yaml:6:30: interaction "A" references itself`}},
		{name: "ErrReferenceWithResponses", bot: base + "      - name: A\n        reference: Hi\n        responses: [{text: hi}]\n",
			want: []string{`bot.yaml:7:20: interaction "A" is a reference: it cannot also have responses`}},
		{name: "ErrPhraseTooLong", bot: base + "      - name: A\n        says: [" + strings.Repeat("a", story.MaxQueryLen+1) + "]\n",
			want: []string{"bot.yaml:7:16: says is 257 characters long, more than 256"}},
		{name: "ErrTooManyPhrases", bot: base + "      - name: A\n        says: [" + strings.Repeat("a, ", story.MaxPhrases) + "a]\n",
			want: []string{"bot.yaml:7:15: says has 1001 items, more than 1000"}},
		{name: "ErrTriggerTooLong", bot: base + "      - name: A\n        triggers: [" + strings.Repeat("e", story.MaxTriggerLen+1) + "]\n",
			want: []string{"bot.yaml:7:20: trigger is 51 characters long, more than 50"}},
		{name: "ErrAnywhereNotBool", bot: base + "      - {name: A, anywhere: yes}\n",
			want: []string{"bot.yaml:6:29: anywhere must be true or false"}},

		// Conditions and filters.
		{name: "ErrConditionSyntax", bot: base + "      - {name: A, condition: 'score >'}\n",
			want: []string{`bot.yaml:6:30: condition does not compile: unexpected token EOF`}},
		{name: "ErrConditionNotBool", bot: base + "      - {name: A, condition: 'score + 1'}\n",
			want: []string{`bot.yaml:6:30: condition does not compile: expected bool, but got float64`}},
		{name: "ErrConditionUnknownName", bot: base + "      - {name: A, condition: 'foo == 1'}\n",
			want: []string{`bot.yaml:6:30: condition does not compile: unknown name "foo"`}},
		{name: "ErrConditionPredicate", bot: base + "      - {name: A, condition: 'all(values(user), # != \"\")'}\n",
			want: []string{`bot.yaml:6:30: condition does not compile: function values is not allowed; allowed: len, lower,`}},
		{name: "ErrConditionFilter", bot: base + "      - name: A\n        responses:\n          - {text: hi, filter: 'len(filter([1, 2], # > 1)) > 0'}\n",
			want: []string{`bot.yaml:8:32: filter does not compile: predicates (all, filter, map, ...) are not allowed`}},
		{name: "ErrConditionFunction", bot: base + "      - {name: A, condition: 'now().Hour() > 3'}\n",
			want: []string{`bot.yaml:6:30: condition does not compile: function now is not allowed; allowed: len, lower,`}},
		{name: "ErrConditionMethod", bot: base + "      - {name: A, condition: 'message.Len() > 3'}\n",
			want: []string{`bot.yaml:6:30: condition does not compile: method calls are not allowed`}},
		{name: "ErrConditionRange", bot: base + "      - {name: A, condition: 'len(1..100000000) > 3'}\n",
			want: []string{`bot.yaml:6:30: condition does not compile: ranges (..) are not allowed`}},
		{name: "ErrConditionLet", bot: base + "      - {name: A, condition: 'let x = 1; x > 0'}\n",
			want: []string{`bot.yaml:6:30: condition does not compile: let and ; are not allowed`}},
		{name: "ErrConditionMatches", bot: base + "      - {name: A, condition: 'message matches session.pattern'}\n",
			want: []string{`bot.yaml:6:30: condition does not compile: the pattern of matches must be a string literal`}},
		{name: "ErrConditionTooBig", bot: base + "      - {name: A, condition: '" + strings.Repeat("score > 1 || ", 70) + "true'}\n",
			want: []string{`bot.yaml:6:30: condition does not compile: compilation failed: expression exceeds maximum allowed nodes`}},
		{name: "ErrConditionMap", bot: base + "      - {name: A, condition: '{\"a\": 1}.a == 1'}\n",
			want: []string{`bot.yaml:6:30: condition does not compile: *ast.PairNode is not allowed`}},
		{name: "ErrConditionType", bot: base + "      - {name: A, condition: 'user.age > 18'}\n",
			want: []string{`bot.yaml:6:30: condition does not compile: invalid operation: > (mismatched types string and int)`}},
		{name: "ErrConditionTooLong", bot: base + "      - {name: A, condition: '" + strings.Repeat("x", story.MaxConditionLen+1) + "'}\n",
			want: []string{"bot.yaml:6:30: condition is 1025 characters long, more than 1024"}},

		// Responses.
		{name: "ErrResponseTwoKinds", bot: base + "      - name: A\n        responses:\n          - {text: hi, image: 'https://x'}\n",
			want: []string{"bot.yaml:8:13: a response has exactly one kind, this one has text and image"}},
		{name: "ErrResponseNoKind", bot: base + "      - name: A\n        responses:\n          - {filter: 'true'}\n",
			want: []string{"bot.yaml:8:13: response needs one of: text, image,"}},
		{name: "ErrTooManyResponses", bot: base + "      - name: A\n        responses:\n" + strings.Repeat("          - {delay: 1}\n", story.MaxResponses+1),
			want: []string{"bot.yaml:8:11: responses has 100 items, more than 99"}},
		{name: "ErrTooManyTextVariants", bot: base + "      - name: A\n        responses:\n          - text: [" + strings.Repeat("a, ", story.MaxTextVariants) + "a]\n",
			want: []string{"bot.yaml:8:19: text has 21 items, more than 20"}},
		{name: "ErrTextTooLong", bot: base + "      - name: A\n        responses:\n          - text: " + strings.Repeat("é", story.MaxTextLen+1) + "\n",
			want: []string{"bot.yaml:8:19: text is 1025 characters long, more than 1024"}},
		{name: "ErrTextEmpty", bot: base + "      - name: A\n        responses:\n          - text: []\n",
			want: []string{"bot.yaml:8:19: text needs at least 1 item(s), has 0"}},
		{name: "ErrImageTooLong", bot: base + "      - name: A\n        responses:\n          - image: https://x/" + strings.Repeat("a", story.MaxImageURLLen) + "\n",
			want: []string{"bot.yaml:8:20: image is 1034 characters long, more than 1024"}},
		{name: "ErrTooManyQuickReplies", bot: base + "      - name: A\n        responses:\n          - quick_replies: {title: t, buttons: [" + strings.Repeat("a, ", story.MaxQuickReplies) + "a]}\n",
			want: []string{"bot.yaml:8:48: quick_replies buttons has 12 items, more than 11"}},
		{name: "ErrQuickRepliesWithoutTitle", bot: base + "      - name: A\n        responses:\n          - quick_replies: {buttons: [a]}\n",
			want: []string{"bot.yaml:8:28: quick_replies needs a title"}},
		{name: "ErrQuickReplyURL", bot: base + "      - name: A\n        responses:\n          - quick_replies: {title: t, buttons: [{title: a, url: 'https://x'}]}\n",
			want: []string{`bot.yaml:8:60: unknown field "url" in quick reply; known fields: title, postback, goto`}},
		{name: "ErrButtonTwoActions", bot: base + "      - name: A\n        responses:\n          - buttons: {title: t, buttons: [{title: a, postback: a, goto: Hi}]}\n",
			want: []string{"bot.yaml:8:43: button needs exactly one of postback, goto or url"}},
		{name: "ErrButtonTitleTooLong", bot: base + "      - name: A\n        responses:\n          - buttons: {title: t, buttons: [" + strings.Repeat("b", story.MaxButtonTitleLen+1) + "]}\n",
			want: []string{"bot.yaml:8:43: button title is 81 characters long, more than 80"}},
		{name: "ErrCardTooManyButtons", bot: base + "      - name: A\n        responses:\n          - card: {title: t, buttons: [a, b, c, d]}\n",
			want: []string{"bot.yaml:8:39: card buttons has 4 items, more than 3"}},
		{name: "ErrCardTitleTooLong", bot: base + "      - name: A\n        responses:\n          - card: {title: " + strings.Repeat("t", story.MaxCardTitleLen+1) + ", buttons: [a]}\n",
			want: []string{"bot.yaml:8:27: card title is 81 characters long, more than 80"}},
		{name: "ErrCardWithoutButtons", bot: base + "      - name: A\n        responses:\n          - card: {title: t}\n",
			want: []string{"bot.yaml:8:19: card needs buttons"}},
		{name: "ErrTooManyCards", bot: base + "      - name: A\n        responses:\n          - carousel: [" + strings.Repeat("{title: t, buttons: [a]}, ", story.MaxCarouselCards) + "{title: t, buttons: [a]}]\n",
			want: []string{"bot.yaml:8:23: carousel has 11 items, more than 10"}},
		{name: "ErrDelay", bot: base + "      - name: A\n        responses:\n          - delay: 20000\n",
			want: []string{"bot.yaml:8:20: delay (milliseconds) is 20000, outside 1 to 10000"}},
		{name: "ErrSetAttributeName", bot: base + "      - name: A\n        responses:\n          - set: {user: {'my name': x}}\n",
			want: []string{`bot.yaml:8:26: attribute "my name" may contain only letters, digits, '_' and '-'`}},
		{name: "ErrSetScope", bot: base + "      - name: A\n        responses:\n          - set: {bot: {a: x}}\n",
			want: []string{`bot.yaml:8:19: unknown field "bot" in set; known fields: user, session`}},
		{name: "ErrSetTwice", bot: base + "      - name: A\n        responses:\n          - set: {session: {a: x, a: y}}\n",
			want: []string{`bot.yaml:8:35: attribute "a" is set twice`}},
		{name: "ErrSetNothing", bot: base + "      - name: A\n        responses:\n          - set: {user: {}}\n",
			want: []string{"bot.yaml:8:18: set assigns no attributes"}},
		{name: "ErrResetFalse", bot: base + "      - name: A\n        responses:\n          - reset: false\n",
			want: []string{"bot.yaml:8:20: reset: false does nothing; write reset: true or remove it"}},
		{name: "ErrNestedHandoff", bot: base + "      - name: A\n        responses:\n          - handoff:\n              failure:\n                responses:\n                  - handoff: {}\n",
			want: []string{"bot.yaml:11:30: a hand-off branch cannot hand off again"}},
		{name: "ErrBranchWithoutAction", bot: base + "      - name: A\n        responses:\n          - handoff: {success: {}}\n",
			want: []string{"bot.yaml:8:32: hand-off success needs either responses or goto"}},
		{name: "ErrWebhookName", bot: base + "      - name: A\n        responses:\n          - webhook: 'call me'\n",
			want: []string{`bot.yaml:8:22: webhook "call me" may contain only letters, digits, '_' and '-'`}},
		{name: "ErrGoalName", bot: base + "      - name: A\n        responses:\n          - goal: 'a sale!'\n",
			want: []string{`bot.yaml:8:19: goal "a sale!" may contain only letters, digits, '_' and '-'`}},
		{name: "ErrGoalEmpty", bot: base + "      - name: A\n        responses:\n          - goal: ''\n",
			want: []string{`bot.yaml:8:19: goal`}},

		// Templates.
		{name: "ErrTemplateNamesNothing", bot: base + "      - name: A\n        responses:\n          - text: 'Hello {{nickname}}'\n",
			want: []string{`bot.yaml:8:19: {{nickname}} names nothing that can exist: it is not a parameter of interaction "A" or of its parents`}},
		{name: "ErrTemplateOtherInteractionsParameter", bot: base + "      - name: A\n        parameters: [{name: n, entity: sys.number}]\n      - name: B\n        responses: [{text: '{{n}}'}]\n",
			want: []string{`bot.yaml:9:28: {{n}} names nothing that can exist`}},
		{name: "ErrTemplateUnclosed", bot: base + "      - name: A\n        responses:\n          - text: 'Hello {{name'\n",
			want: []string{`bot.yaml:8:19: text: "{{" without "}}"`}},
		{name: "ErrTemplateBadName", bot: base + "      - name: A\n        responses:\n          - text: 'Hello {{first name}}'\n",
			want: []string{`bot.yaml:8:19: text: invalid placeholder {{first name}}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := tt.files
			if files == nil {
				files = map[string]string{"bot.yaml": tt.bot}
			}
			fsys := fstest.MapFS{}
			var paths []string
			for name, data := range files {
				fsys[name] = &fstest.MapFile{Data: []byte(data)}
				paths = append(paths, name)
			}
			if len(paths) == 0 {
				paths = []string{"bot.yaml"}
			}
			slicesSort(paths)
			b, err := story.Load(fsys, paths...)
			if err == nil {
				t.Fatalf("Load: got a bot with %d stories, want errors %q", len(b.Stories), tt.want)
			}
			if b != nil {
				t.Errorf("Load: got a bot and an error, want nil bot")
			}
			errs := unjoin(err)
			var got []string
			for _, e := range errs {
				var se *story.Error
				if !errors.As(e, &se) {
					t.Errorf("error %q is not a *story.Error", e)
				}
				got = append(got, e.Error())
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d errors, want %d:\ngot:  %s\nwant: %s", len(got), len(tt.want), strings.Join(got, "\n      "), strings.Join(tt.want, "\n      "))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("error %d:\ngot:  %s\nwant: %s...", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func slicesSort(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

var _ = fmt.Sprint

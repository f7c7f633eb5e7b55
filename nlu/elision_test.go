package nlu

import (
	"slices"
	"testing"
)

// TestElision checks that French and Italian words are matched without the
// article, pronoun or preposition elided before them, and that the token
// starts where the word does.
func TestElision(t *testing.T) {
	cases := []struct {
		lang, text string
		words      []string // the tokens' texts
		spans      []string // what each token covers in text
	}{
		{"french", "Ça ne m'aide pas", []string{"ça", "ne", "aide", "pas"}, []string{"Ça", "ne", "aide", "pas"}},
		{"french", "L'adresse de vos créateurs", []string{"adresse", "de", "vos", "créateurs"}, []string{"adresse", "de", "vos", "créateurs"}},
		{"french", "qu'est-ce qu'un compilateur", []string{"est", "ce", "un", "compilateur"}, []string{"est", "ce", "un", "compilateur"}},
		{"french", "J’attendrai jusqu’à demain", []string{"attendrai", "à", "demain"}, []string{"attendrai", "à", "demain"}},
		{"french", "tu travailles aujourd'hui", []string{"tu", "travailles", "aujourd'hui"}, []string{"tu", "travailles", "aujourd'hui"}},
		{"fr", "s'il vous plaît", []string{"il", "vous", "plaît"}, []string{"il", "vous", "plaît"}},
		{"italian", "nome dell'app", []string{"nome", "app"}, []string{"nome", "app"}},
		{"italian", "l'azienda dispone di altre app?", []string{"azienda", "dispone", "di", "altre", "app"}, []string{"azienda", "dispone", "di", "altre", "app"}},
		{"italian", "cos'altro sta sviluppando", []string{"cos'altro", "sta", "sviluppando"}, []string{"cos'altro", "sta", "sviluppando"}},
		{"english", "I don't want you", []string{"i", "don't", "want", "you"}, []string{"I", "don't", "want", "you"}},
		{"catalan", "l'adreça", []string{"l'adreça"}, []string{"l'adreça"}},
	}
	for _, c := range cases {
		m := &Matcher{model: model{an: newAnalyzer(c.lang, nil)}}
		toks := m.tokens(nil, c.text, nil)
		var words, spans []string
		for _, tok := range toks {
			words = append(words, tok.Text)
			spans = append(spans, c.text[tok.Start:tok.End])
		}
		if !slices.Equal(words, c.words) || !slices.Equal(spans, c.spans) {
			t.Errorf("%s %q: words %q, spans %q; want %q, %q", c.lang, c.text, words, spans, c.words, c.spans)
		}
	}
}

// TestElisionMatch trains a bot on twelve intents of a public French
// corpus (nlp.js's Corpus 50, its own training phrases) and asks a test
// phrase of the corpus that went to the website, for its "adresse web",
// while the address's own phrases were read as "l'adresse".
func TestElisionMatch(t *testing.T) {
	intents := []struct {
		label   string
		phrases []string
	}{
		{"support.about", []string{"Que développe votre entreprise ?", "Votre entreprise a-t-elle d'autres produits ?", "Qu'est-ce que votre entreprise crée ?", "Qu'est-ce qu'elle crée votre entreprise", "Votre entreprise a-t-elle d'autres applications ?"}},
		{"support.app_name", []string{"what's the name of your application", "how's your app called", "tell me your app name", "name of the app", "I'd like to know the name of your app"}},
		{"support.beta", []string{"do you have a beta test?", "how I join your beta program?", "I want to test your app", "I want the application beta", "beta version"}},
		{"support.developers", []string{"qui est votre développeur", "qui a programmé votre code", "dis-moi qui est le développeur", "Qui est ton créateur", "Informations sur votre créateur"}},
		{"support.contact", []string{"Je veux contacter votre développeur", "Je veux contacter votre créateur", "Comment contacter le programmeur", "Donnez-moi des informations sur votre développeur", "Donnez-moi les coordonnées de votre créateur"}},
		{"support.adress", []string{"quelle est l'adresse de votre développeur", "où se trouve votre créateur", "Montrez-moi où est le bureau de votre développeur", "Je veux trouver l'adresse de votre entreprise", "Je veux l'adresse de votre bureau"}},
		{"support.email", []string{"comment envoyer un e-mail à votre développeur", "Je veux votre courrier de créateur", "comment puis-je obtenir votre e-mail", "Je veux contacter votre programmeur par email", "comment puis-je envoyer un e-mail à votre équipe ?"}},
		{"support.phone", []string{"donnez-moi votre numéro de téléphone de développeur", "Montre-moi ton numéro de programmeur", "comment vous contacter par téléphone", "avez-vous un numéro de téléphone?", "comment vous contacter par téléphone"}},
		{"support.social", []string{"avez-vous Facebook?", "Utilisez-vous Twitter?", "Je veux visiter votre instagram", "avez-vous des réseaux sociaux ?", "donne moi ton adresse facebook"}},
		{"support.website", []string{"Je veux visiter votre site Web", "Avez-vous un site internet?", "trouver votre adresse web", "donnez-moi votre URL", "ouvre moi ton site"}},
		{"support.live", []string{"ça n'aide pas", "Je ne te veux pas, je veux une vraie personne", "discuter avec un humain", "Mettez-moi en contact avec un agent", "Je veux parler avec quelqu'un de vrai"}},
		{"smalltalk.help", []string{"J'ai besoin d'aide", "aider", "J'ai besoin d'aide", "Pouvez-vous m'aider", "pouvez-vous m'aider"}},
		{"smalltalk.marry", []string{"nous devrions nous marier", "Je t'aime épouse moi", "Je veux t'épouser", "épouse-moi s'il te plaît", "voudriez-vous m'épouser?"}},
	}
	var ex []Example
	for _, in := range intents {
		for _, p := range in.phrases {
			ex = append(ex, Example{Label: in.label, Text: p})
		}
	}
	m, err := Train(ex, WithLanguage("french"))
	if err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{
		"Comment trouver votre adresse": "support.adress",
		"Ça ne m'aide pas":              "support.live",
	} {
		got := m.Predict(q, Set{})
		if len(got) == 0 || got[0].Label != want || got[0].Score < 0.5 {
			t.Errorf("%q: got %v, want %s at 0.5", q, got, want)
		}
	}
}

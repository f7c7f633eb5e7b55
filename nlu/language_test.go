package nlu_test

import (
	"testing"

	"github.com/parleybot/parley/nlu"
)

// TestLanguageBots trains a small bot in each language on real phrases (an
// order, opening hours, a goodbye) and asks in other words and forms.
func TestLanguageBots(t *testing.T) {
	type bot struct {
		order, hours, bye []string
		queries           map[string]string // query → label
	}
	bots := map[string]bot{
		"german": {
			order:   []string{"ich möchte einen Kaffee bestellen", "eine Bestellung aufgeben", "kann ich einen Tee haben", "ich hätte gern einen Cappuccino"},
			hours:   []string{"wann haben Sie geöffnet", "wie sind die Öffnungszeiten", "haben Sie am Sonntag offen", "bis wann ist geöffnet"},
			bye:     []string{"auf Wiedersehen", "tschüss", "bis bald", "schönen Tag noch"},
			queries: map[string]string{"zwei Bestellungen bitte": "order", "Öffnungszeit am Samstag": "hours", "tschüss und bis bald": "bye"},
		},
		"italian": {
			order:   []string{"vorrei ordinare un caffè", "posso avere un cappuccino", "un tè per favore", "voglio fare un ordine"},
			hours:   []string{"a che ora aprite", "quali sono gli orari di apertura", "siete aperti la domenica", "fino a che ora siete aperti"},
			bye:     []string{"arrivederci", "ciao a presto", "buona giornata", "ci vediamo"},
			queries: map[string]string{"vorrei ordinato due caffè": "order", "orario di apertura sabato": "hours", "arrivederci e buona giornata": "bye"},
		},
		"portuguese": {
			order:   []string{"quero encomendar um café", "posso pedir um chá", "queria um cappuccino por favor", "fazer uma encomenda"},
			hours:   []string{"a que horas abrem", "qual é o horário de funcionamento", "estão abertos ao domingo", "até que horas estão abertos"},
			bye:     []string{"adeus", "até logo", "tenha um bom dia", "tchau"},
			queries: map[string]string{"duas encomendas por favor": "order", "horários de sábado": "hours", "adeus e até logo": "bye"},
		},
		"dutch": {
			order:   []string{"ik wil een koffie bestellen", "mag ik een thee", "een cappuccino graag", "ik wil een bestelling plaatsen"},
			hours:   []string{"hoe laat gaan jullie open", "wat zijn de openingstijden", "zijn jullie op zondag open", "tot hoe laat zijn jullie open"},
			bye:     []string{"tot ziens", "doei", "fijne dag nog", "tot later"},
			queries: map[string]string{"twee bestellingen graag": "order", "openingstijd op zaterdag": "hours", "doei en tot ziens": "bye"},
		},
		"danish": {
			order:   []string{"jeg vil gerne bestille en kaffe", "kan jeg få en te", "en cappuccino tak", "jeg vil afgive en bestilling"},
			hours:   []string{"hvornår åbner I", "hvad er åbningstiderne", "har I åbent om søndagen", "hvor længe har I åbent"},
			bye:     []string{"farvel", "vi ses", "hav en god dag", "hej hej"},
			queries: map[string]string{"to bestillinger tak": "order", "åbningstider lørdag": "hours", "farvel og vi ses": "bye"},
		},
		"finnish": {
			order:   []string{"haluaisin tilata kahvin", "saisinko teetä", "yksi cappuccino kiitos", "haluan tehdä tilauksen"},
			hours:   []string{"milloin olette auki", "mitkä ovat aukioloajat", "oletteko auki sunnuntaina", "mihin asti olette auki"},
			bye:     []string{"näkemiin", "hei hei", "hyvää päivänjatkoa", "nähdään"},
			queries: map[string]string{"kaksi tilausta kiitos": "order", "aukioloajat lauantaina": "hours", "näkemiin ja nähdään": "bye"},
		},
		"romanian": {
			order:   []string{"aș dori să comand o cafea", "pot să iau un ceai", "un cappuccino vă rog", "vreau să fac o comandă"},
			hours:   []string{"la ce oră deschideți", "care este programul de lucru", "sunteți deschiși duminica", "până la ce oră sunteți deschiși"},
			bye:     []string{"la revedere", "pa", "o zi bună", "ne vedem"},
			queries: map[string]string{"două comenzi vă rog": "order", "programul de sâmbătă": "hours", "la revedere și o zi bună": "bye"},
		},
		"turkish": {
			order:   []string{"bir kahve sipariş etmek istiyorum", "bir çay alabilir miyim", "bir kapuçino lütfen", "sipariş vermek istiyorum"},
			hours:   []string{"saat kaçta açılıyorsunuz", "çalışma saatleriniz nedir", "pazar günü açık mısınız", "saat kaça kadar açıksınız"},
			bye:     []string{"hoşça kal", "görüşürüz", "iyi günler", "güle güle"},
			queries: map[string]string{"iki siparişler lütfen": "order", "cumartesi çalışma saatleri": "hours", "hoşça kal görüşürüz": "bye"},
		},
		"greek": { // no stemmer: whole words and character n-grams
			order:   []string{"θέλω να παραγγείλω έναν καφέ", "μπορώ να έχω ένα τσάι", "έναν καπουτσίνο παρακαλώ", "θέλω να κάνω μια παραγγελία"},
			hours:   []string{"τι ώρα ανοίγετε", "ποιες είναι οι ώρες λειτουργίας", "είστε ανοιχτά την Κυριακή", "μέχρι τι ώρα είστε ανοιχτά"},
			bye:     []string{"αντίο", "γεια σας", "καλή σας μέρα", "τα λέμε"},
			queries: map[string]string{"δύο καφέ παρακαλώ": "order", "ώρες λειτουργίας το Σάββατο": "hours", "αντίο τα λέμε": "bye"},
		},
	}
	for lang, b := range bots {
		t.Run(lang, func(t *testing.T) {
			var exs []nlu.Example
			for label, ps := range map[string][]string{"order": b.order, "hours": b.hours, "bye": b.bye} {
				for _, p := range ps {
					exs = append(exs, nlu.Example{Label: label, Text: p})
				}
			}
			m := train(t, exs, nlu.WithLanguage(lang))
			for q, want := range b.queries {
				if got := top(m.Predict(q, nlu.Set{})); got.Label != want || got.Score < 0.5 {
					t.Errorf("%q: got %+v, want %s at 0.5 or more", q, got, want)
				}
			}
		})
	}
}

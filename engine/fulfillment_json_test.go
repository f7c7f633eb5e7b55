package engine

import (
	"bytes"
	"encoding/json"
	"testing"
)

var fulfillmentCases = map[string][]Fulfillment{
	"Nil":   nil,
	"Empty": {},
	"Text":  {{Type: TypeText, Message: "One large latte, coming up."}},
	"Rich": {
		{Type: TypeText, Delay: 1500, Message: "Pick one <b>now</b> & \"quickly\"\n\t\\ \u2028\u2029 \x01 \x7f é 😀"},
		{Type: TypeQuickReplies, Title: "Size?", Buttons: []Button{{Type: ButtonPostback, Title: "Small", Value: "small"}, {Type: ButtonGoto, Title: "", Value: ""}}},
		{Type: TypeCarousel, Cards: []Fulfillment{{Type: TypeCard, Title: "Latte", Subtitle: "milk", Image: "https://example.com/a.png?x=1&y=2", Buttons: []Button{{Type: ButtonURL, Title: "Go", Value: "https://example.com"}}}}},
		{Type: "webhook", Data: map[string]string{"z": "1", "a": "2", "name": "order\x00"}},
	},
	"InvalidUTF8": {{Type: TypeText, Message: "bad \xff\xfe utf8 \xe2\x82 end"}},
}

// TestAppendFulfillments checks that the hand-written encoder writes what
// json.Marshal writes.
func TestAppendFulfillments(t *testing.T) {
	for name, fs := range fulfillmentCases {
		t.Run(name, func(t *testing.T) {
			want, err := json.Marshal(fs)
			if err != nil {
				t.Fatal(err)
			}
			if got := appendFulfillments(nil, fs); !bytes.Equal(got, want) {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		})
	}
}

func FuzzAppendFulfillments(f *testing.F) {
	f.Add("text", 0, "hello", "title", "k", "v")
	f.Add("card", 250, "<&>\u2028", "\xff", "\x00", "é")
	f.Fuzz(func(t *testing.T, typ string, delay int, msg, title, k, v string) {
		fs := []Fulfillment{{Type: typ, Delay: delay, Message: msg, Title: title,
			Buttons: []Button{{Type: k, Title: v, Value: msg}}, Data: map[string]string{k: v, v: k},
			Cards: []Fulfillment{{Type: v, Subtitle: msg, Image: title}}}}
		want, err := json.Marshal(fs)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendFulfillments(nil, fs); !bytes.Equal(got, want) {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	})
}

// BenchmarkAppendFulfillments compares the encoder with json.Marshal on a
// quick-replies answer.
func BenchmarkAppendFulfillments(b *testing.B) {
	fs := fulfillmentCases["Rich"][:2]
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			appendFulfillments(make([]byte, 0, fulfillmentsSize(fs)), fs)
		}
	})
	b.Run("json.Marshal", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			json.Marshal(fs)
		}
	})
}

package nlu_test

import (
	"fmt"

	"github.com/parleybot/parley/nlu"
)

func ExampleDetectLanguage() {
	phrases := []string{
		"quiero pedir una pizza grande", "dónde está mi pedido", "cuánto cuesta el envío a Madrid",
		"me gustaría cancelar la reserva", "a qué hora abren los domingos", "puedes ayudarme con mi cuenta",
		"no puedo entrar en la aplicación", "hay alguna oferta para estudiantes",
	}
	d := nlu.DetectLanguage(phrases...)
	fmt.Println(d.Language)
	fmt.Println(d)
	// A few greetings are no evidence: no language is named.
	fmt.Printf("%q\n", nlu.DetectLanguage("hi", "hello", "ok").Language)
	// Output:
	// spanish
	// spanish, 0.65 sure: 22 of 42 latin words are spanish function words (catalan: 10)
	// ""
}

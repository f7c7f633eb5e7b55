// Package nlu turns text into scored matches: it normalises and tokenizes
// messages, extracts entities, and ranks labelled examples against a query.
// It knows nothing of stories: the engine hands it (label, phrase) examples,
// typically one label per interaction, and asks which labels a message may
// mean.
//
// # Matching
//
// [Train] builds a [Matcher] from [Example] values, in process and in a few
// seconds even for 150 labels with 100 phrases each. [Matcher.Predict] ranks
// the labels eligible under a [Set] against a query, best first, with
// scores in [0, 1]:
//
//   - A query that is a training phrase once normalised and stemmed scores 1
//     for its label, and so does a keyword pattern hit ([Example.Keyword],
//     ChatBot.com's rules: every keyword, in any order, with at most one
//     other word between neighbours).
//   - A query with a word the matcher does not know scores at least 1 -
//     0.1 a typo (0.9 for one, 0.8 for two) for one of its three best
//     labels when it matches a training phrase of that label, of as many
//     words, but for typos: each query word is the phrase's word, another
//     form of it (the same stem, at most 4 bytes longer or shorter), or the
//     word with one typo (a letter added, dropped, changed, or two
//     neighbours swapped, in words of four or more letters), and at most
//     half of the words (at least one) have a typo.
//   - Otherwise the score comes from linear models: each phrase becomes a
//     TF-IDF vector (sublinear term frequency, L2-normalised) of its stemmed
//     words, word bigrams and character 3- and 4-grams of each word (a run
//     of Chinese or Japanese letters is read as its letters and each pair
//     of neighbouring letters, see the caveats; with 2,000 phrases or more, each of the three views is normalised on its
//     own to a third of the squared length, so that the many n-grams of a
//     long message do not drown its words, and the idf is damped: its log
//     ratio plus 10 instead of plus 1), and one L2-loss linear SVM per
//     label, one against the rest, is trained on them by dual coordinate
//     descent. The margin of the label's SVM, minus the
//     margin of the out-of-scope class when there are negative examples, is
//     mapped to [0, 1] by one logistic curve, calibrated for the size of
//     the bot (see Confidence below).
//   - A query word of five letters or more that no training phrase has in
//     any form (its stem is not a feature) and that is a training word of
//     five letters or more with one typo (a letter added, dropped,
//     changed, or two neighbours swapped: "cancle", "anwser", "statud")
//     is read as that training word: its stem, word pairs, character
//     n-grams and word vector are the training word's, at every size. Of
//     several such training words, the most frequent in the phrases is
//     taken, then the first in alphabetical order. In an English matcher,
//     a word of the word vectors' table is a word of its own, not a typo
//     ("prize" beside a training "price"), and is not read so (in a large
//     matcher the stand-ins below read it). Other languages have no such
//     table, so there both words need seven letters or more, which real
//     words one letter apart seldom have ("libre" is not read as a
//     training "livre", "rechnug" is read as "rechnung"). The exact and
//     near-phrase matches above and the keyword patterns see the word as
//     written.
//   - In an English matcher of 2,000 phrases or more, a query word that no
//     training phrase has in any form (its stem is not a feature), and
//     that is not one of the 100 most common English words, is read as
//     the training words closest to it in meaning, by pretrained word
//     vectors ([github.com/parleybot/parley/nlu/wordvec], GloVe): the 8
//     training words, one a stem, whose vectors have the highest cosines
//     with its own, 0.45 or more, each add their stem to the query's
//     vector in place of the unknown one, weighing twice the cosine times
//     the stem's idf ("humidity" reads as "temperature", "weather" and
//     "rain"). The vectors of the training words are gathered when such a
//     matcher is trained or loaded, which parses the embedded table once
//     per process (so does every English matcher, for the closeness in
//     meaning below; matchers of other languages never load it). The
//     stand-ins of recent unknown words are cached with their stems.
//
// # Confidence
//
// A score means the same for a 3-label matcher and a 150-label one, with 3
// phrases a label or 100: at 0.5, the default confidence of a bot, the
// matcher answers what it ranks right — in-scope accuracy at 0.5 is within
// 2 points of taking every best match — and refuses what it cannot tell
// from noise. One-vs-rest SVMs give a paraphrase a margin that grows with
// its label's phrases and shrinks as labels multiply, so the margin that
// scores 0.5 is an offset fitted to the number of labels and phrases on a
// calibration test bed of bots sampled from the CLINC150 corpus (2 to 150
// intents, 3 to 100 phrases each, tested on held-out in-scope and
// out-of-scope queries; parley eval -sweep runs it). How many unrelated
// messages 0.5 refuses grows with the phrases: about a third of CLINC150's
// out-of-scope queries with 3 to 5 phrases an intent, three quarters with
// 20 or more. A query earns the offset only with evidence for the label
// (known words that add to its margin): a message of words the bot never
// saw scores under 0.5 at every size. With 2,000 phrases or more, the
// score also weighs how typical the query is of the label: it rises with
// the share of the query made of features the label's SVM weighs up, and
// falls as the margin rests on a single word, the way an unrelated
// question that shares one word with a label earns its margin. In an
// English matcher of any size the score also weighs how close the query
// is in meaning to the label, by the same word vectors as the stand-ins:
// a text's meaning is the mean of its words' vectors (words as written;
// each weighs the log ratio of its idf, a word no training phrase has the
// most, and the 500 most common English words not at all), a label's is
// the mean of its training phrases' (each of unit length), and each of
// the ten best labels' margins gains the cosine of the query's with the
// label's less 0.5, at most 0.3, with fewer than 2,000 phrases, so that a
// query far in meaning from every label is refused more often and a
// paraphrase still scores clearly under a training phrase. With 2,000
// phrases or more the cosine is taken in a space of the matcher's own, a
// linear transform of the vectors fitted in training: whitened by the
// phrases' covariance within their labels (plus its mean eigenvalue), so
// that the directions in which a label's phrases differ little weigh
// more, then the directions in which the labels' means differ little
// weighing less; the margin gains 0.875 times the cosine less 0.52 (when
// the labels' means span fewer directions than the vectors have, as with
// 100 labels or fewer, the table's own space and the cosine less 0.6).
// In an English matcher under 2,000 phrases, a query word that no
// training phrase has in any form, that is not read as a misspelt
// training word and that the word vectors' table lacks (nor is it a
// single letter, or a table word with a clitic or a plural's "s") is a
// name: of a station, a restaurant, a product, or a number. An unknown
// common word is the mark of a message about something else, but no bot
// knows every name its users will write, and its own phrases say how
// often they write one: a name's unknown features weigh, in the query's
// squared norm and so against its coverage, the share of the training
// phrases that hold no name. In a bot whose phrases name a station
// nearly every time, "harthaus to hackerbrücke" reads as "to" between
// two names; in one whose phrases name nothing, a name weighs as any
// unknown word.
// The labels' mean vectors are computed when the matcher is trained or
// loaded, not serialised; the transform is serialised (40 kB). Raising
// the confidence trades
// answers for refusals; parley eval finds the best one for a labelled
// corpus.
//
// # Entity classes
//
// A matcher trained [WithEntities] reads each value its extractors find,
// in phrases and queries alike, and each span an [Example] marks ([Mark]),
// as one word standing for the entity: "i want a large latte" trains as "i
// want a @size @drink", so a phrase with one value is evidence for every
// value, and a query that is a training phrase but for other values of the
// same entities scores 1. An [Example.Evidence] example lends its words to
// its label without being a training phrase: the engine gives each
// interaction one made of a value of each of its entities, so that a
// message of values alone ("a small quattro formaggi") matches it.
//
// Restricting a prediction to the labels eligible under the active contexts
// costs nothing: build the [Set] once with [Matcher.Set] and pass it to
// every Predict. Scores are not renormalised over the eligible labels, so a
// message meant for an ineligible label keeps a low score and falls back.
//
// Examples labelled [OutOfScope] are negative examples: they train an
// explicit out-of-scope class, which lowers the scores of the other labels
// for queries that look like them and never appears in the results.
//
// # Editing
//
// [Matcher.With] adds, replaces and removes labels of a trained matcher
// without training the others, and returns a new matcher sharing the
// rest: an added label's SVM trains against every phrase the matcher
// knows (milliseconds on thousands of phrases), its weights sit in an
// index of their own read after the base model's, with its exact phrases,
// the typo indexes of its phrases and of its words (a misspelt query word
// is read as one of them when no training word of the base fits) and, in
// an English matcher, the mean vector of its phrases for the closeness
// in meaning, and the calibration follows the new size. The other
// labels keep their weights, not having seen the new phrases as
// negatives, and a large English matcher keeps the vector space of its
// closeness in meaning; on CLINC150, adding the last 10 intents one by
// one leaves top-1 accuracy on the val split within a tenth of a point of
// training all 150 at once (94.50 % against 94.57 %). A matcher keeps its
// training vectors for this (about 8 bytes per feature of each phrase);
// one loaded with [Load] does not, and cannot be edited.
//
// Training is deterministic (the same examples and options give the same
// model, byte for byte), and a model serialises with
// [Matcher.MarshalBinary] and loads with [Load], so a device can cache it
// instead of training at boot. [ModelVersion] names the training: Load
// refuses a model of another version. The decoder treats its input as
// hostile: malformed data is an [ErrBadModel], never a panic, and what it
// allocates is bounded by the data's size and the word cache's 32 MiB. It
// cannot tell a changed weight from the right one: keep a checksum with a
// stored model (the engine's compiled model ends in one).
//
// # Analysis
//
// [Normalize] applies Unicode NFKC and full case folding (golang.org/x/text),
// so "Straße" and "STRASSE" agree. [Tokenize] splits text into words, numbers
// and symbols with byte offsets into the original text: apostrophes inside
// words and decimal points and thousands separators inside numbers stay in
// the token, Armenian stress and question marks and zero-width joiners
// inside a word leave it whole and are dropped ("ինչպե՞ս" is "ինչպես"),
// each emoji is a token of its own, and punctuation separates tokens.
// Words are stemmed with the Snowball stemmer of the matcher's language,
// set with [WithLanguage] by name or ISO 639-1 code: one of
// [Languages], every language Snowball 2.2.0 has a stemmer for and the
// six Snowball 3.x added, as released in 3.1.1 (arabic, armenian,
// basque, catalan, czech, danish, dutch, english, esperanto, estonian, finnish,
// french, german, greek, hindi, hungarian, indonesian, irish, italian,
// lithuanian, nepali, norwegian, persian, polish, portuguese, romanian,
// russian, serbian, sesotho, spanish, swedish, tamil, turkish, yiddish;
// serbian stems Cyrillic words to Latin stems, so both scripts match;
// persian reads Arabic yeh and kaf as Persian ye and kaf, and its words
// reach the stemmer without the zero-width non-joiner inside them, so
// "می‌خواهم" and "میخواهم" are one word, whose present-tense prefix
// stays). A matcher for any other language
// works without stemming (Bulgarian, Chinese, Hebrew, Japanese,
// Korean, Thai, Ukrainian and Vietnamese, whose numbers, yes and no are
// read, are named by their codes too: "bg", "zh", "he", "ja",
// "ko", "th", "uk", "vi"): whole words and character n-grams still match,
// and inflected forms rely on the n-grams. Accents are removed after
// stemming, so "cafe" matches "café". A stemmer that panics on a word
// leaves it as written; [WithLogger] has it logged. In French, Italian
// and Catalan the matcher reads a word without the article, pronoun or
// preposition elided before it ("l'adresse" is "adresse", "m'aide" is
// "aide", "dell'app" is "app", "l'home" is "home", "n'hi ha" is "hi ha";
// Lucene's lists of elided words), as [Tokenize] keeps them in one token;
// the pronouns Catalan joins after a verb ("porta'l") are the stemmer's,
// and its middle dot stays inside the word, which drops it ("col·legi" is
// "collegi", as it is often typed).
// In Indonesian it reads a word written twice with a hyphen, for a plural
// or to stress it, once ("anak-anak", children, is "anak"; "benar-benar",
// really, is "benar", so that it does not count "benar", right, twice;
// "berlari-lari" is "berlari"), when both halves stem alike, as Sastrawi's
// stemmer does; [Tokenize] keeps the two halves.
//
// # Detecting the language
//
// [DetectLanguage] names the language most of some texts (a bot's
// training phrases) are written in, with a confidence, or none when the
// evidence is not clear: the script where only one language writes it,
// else the function words of each language of the script (short lists
// from Snowball's stop-word lists). A [Detection] carries the counts it
// rests on and says them ([Detection.String]). It needs about 8 function
// words more than the runner-up's, and more where two languages share
// many, so a few greetings, one phrase or a text mixed half and half
// name no language. Nothing in the package calls it: a matcher's
// language is the one [WithLanguage] gives.
//
// # Entities
//
// [System] returns the system entities, by the names bot files use after
// "sys.": any, alphanumeric, email, integer, number, phone, url, yes, no and
// yes-no. [NewDictionary] builds a custom entity from values with synonyms
// (up to [MaxValues] values with [MaxSynonyms] synonyms each), matching
// multi-word synonyms, tolerating one typo in words of five or more letters,
// reading a value after an elided article ("d'eau", "dell'acqua"), and
// returning the canonical value with the span of text that matched. Both
// implement [Extractor]. A French, Italian or Catalan matcher, which reads
// a word without the word elided before it, reads such a value as the
// entity's class ("un verre d'eau" as "un verre @drink"); in other languages the
// value is the class only where it is a word of its own.
//
// # Caveats
//
//   - Yes and no are read in the language given to [System] for each of
//     [Languages] and for Bulgarian, Chinese, Hebrew, Japanese,
//     Korean, Thai, Ukrainian and Vietnamese, typed with their accents
//     or none ("nao" is "não"; Greek "πότε", when, is not "ποτέ",
//     never), and numbers written as words too; digits are read in
//     every script ("२५" and "٢٥" are 25), also inside a word of a
//     script written without spaces ("ピザを3枚" holds 3) and a Korean
//     word ("3잔", three cups). A negation makes a yes a no: before it, next to it or up to two
//     words away in one clause ("not sure", "no estoy de acuerdo"), or
//     after it ("of course not", "claro que no", "das stimmt nicht");
//     "no problem" and its kin ("kein Problem", "pas de problème") are
//     yes. "i don't know" and "je ne sais pas" read as no.
//   - Numbers as words are cardinals from a lexicon and a few rules
//     (sums, hundreds, thousands, compounds such as "zweiundzwanzig",
//     "kaksikymmentäkolme", "hogeita bost" and "خمسة وعشرون"), in the
//     forms the lexicon lists, mostly the nominative (Russian "двух",
//     "одну" and the collective "трое", "двоих" are read, "двумя" not;
//     Lithuanian's genitive and dative are, "dviejų", "trims"). A year
//     said in hundreds is its number ("neunzehnhundertneunundneunzig",
//     "mil novecientos noventa y nueve": 1999). A connector ("und", "i")
//     joins a unit to the tens after it, not two numbers: "pet i šest"
//     (five and six) is two.
//   - Ordinals are numbers (and integers) as cardinals are, in English,
//     German, French, Spanish, Italian, Portuguese and Dutch ("second",
//     "der zweite", "la deuxième", "el segundo", "il terzo", "o
//     primeiro", "de tweede", "zum einundzwanzigsten", "vingt et
//     unième"), and in digits ("1st", "2ème", "1er", "3er", "2º", "2e";
//     "3." is 3). Spanish, Italian and Portuguese ones, which are other
//     words too ("secondo me", in my opinion; "un segundo", a moment),
//     are read after a determiner ("la seconda", "l'ottavo") or as a
//     whole message ("segundo"); Portuguese "segunda" to "sexta"
//     (weekdays too) and "quarto" (a room), and Spanish "cuarto", are
//     not read, but for Spanish "cuarto" after a ten ("decimocuarto",
//     "décimo cuarto", 14). French "second" is not read. Spanish and
//     Italian ones past the twelfth are read in one word ("decimoquinto",
//     "quindicesimo", "ventitreesimo", "centésimo") and, in Spanish,
//     Italian and Portuguese, as a ten and a unit ("décimo quinto", 15;
//     "vigésima primera", 21; "décimo primeiro", 11); Portuguese's past
//     the tenth otherwise only for 20 and 30 ("vigésimo").
//   - Where the indefinite article is the word for one, it is one ("ein
//     Bier", "una cerveza", "un café", "een biertje", "bir kahve", "ஒரு
//     காபி": 1), as a user ordering one means; English "a" is not "one"
//     and is read only before a scale ("a hundred"). Set phrases are not
//     numbers: "ein paar", "einen Moment", "un momento", "un po'", "un
//     instant", "een beetje", "bir dakika". Romanian "o" (one, a; also
//     her, and the particle of "o să") is one only before another number
//     word ("o mie", 1000).
//   - Some number words are other words too. A word that is also a
//     common other word is a number only next to another number word:
//     Serbian "sto" (100, and a table) in "sto dvadeset" but not alone,
//     Yiddish "ניין" (9, and no) in "ניין און צוואַנציק", Irish "sé" (6,
//     he); Serbian "što" (what), whose accent folds onto "sto", is never
//     a number. Nepali "छ" (six, is) is six only before a hundred or a
//     scale ("छ सय" is 600, "एक सय छ" 100). Hindi "दो" (two, give!) is no
//     number at the end of a clause it does not start ("मुझे पानी दो",
//     give me water), and is two before a noun or alone ("दो कॉफ़ी",
//     "हाँ, दो"). Phrases where the word is another one are not read:
//     French "neuf" (nine, new) in "quoi de neuf" and "tout neuf" (but
//     "un vélo neuf" reads one and nine), Italian "sei" (six, you are)
//     in "chi sei", "sei sicuro" and their kin (but "sei persone" is 6),
//     German "achten Sie". Read although they may be other words: Nepali
//     "सत्र" (17, session), Tamil "ஆறு" (six, a river), Hungarian "hét"
//     (seven, week) but in "két hét múlva" (in two weeks, 2), "a hét" and
//     their kin, Irish "trí" (three, through).
//   - Sesotho "e" (yes; also a concord of many sentences, "kopi e le
//     nngwe", one cup) is yes only as the first word of a message ("E, ke
//     a leboha"). Esperanto "ok" (8, and okay) is a number only next to
//     another number word ("dek ok", 18); Estonian "kuus" (6) is not read
//     in "kord kuus" and "korda kuus" (once, twice a month). Sesotho
//     numbers are read in words from one to ten, as they follow a concord
//     ("kopi e le nngwe", "dikopi tse pedi", "batho ba babedi"), and
//     "lekgolo" (100) and "sekete" (1000) ("supa", seven and point, only
//     next to another number word); its tens and teens, made of several
//     words with concords ("mashome a mabedi", 20), are read in digits
//     only. Persian "خیر" (no; also
//     good, "صبح به خیر", good morning) is no only with thanks after it
//     ("خیر، ممنون"); Persian numbers are read in digits ("نه" is no
//     and nine).
//   - Chinese (simplified and traditional), Japanese and Thai write no
//     space between words, so their numbers, yes and no are read inside
//     the words of a text: "我要三杯咖啡" holds 3, "ピザを三枚ください" 3,
//     "ขอกาแฟสองแก้ว" 2. Chinese and Japanese numbers are the characters
//     with 十, 百 and 千 and the scales 万 (萬) and 亿 (億) ("三百五十",
//     350; "三万一千", 31,000; "一百零五", 105; "3千", 3000), 两 (兩) is
//     two, and a measure word, counter or "第" around a number is no part
//     of it ("两个", "第三个", "三番目"); Japanese "一つ" to "九つ", "ひとつ" to
//     "ここのつ", "ひとり" and "ふたり" are read, the readings in kana
//     ("さん", "に") and "〇", which splits words, are not. Number
//     characters inside other words are not read: "一下" (a moment), "一起"
//     (together), "一些", "一样", "一点", "一共", "十分" (very; in Japanese
//     enough), "千万" (by all means), "万一" (in case), "三明治"
//     (sandwich), "一緒", "一番", "一応" and their kin, unless a number
//     character comes right before them ("三万一千", "二十分"). Thai
//     number words are syllables of other words too ("สามารถ", can, holds
//     "สาม", three; "เก้าอี้", a chair, "เก้า", nine): inside a word they
//     are a number only at its end or before a counter ("สองแก้ว", two
//     glasses; "หนึ่งร้อยบาท"), and "เรียบร้อย" (done) is not read. A
//     yes or no inside such a word is read when the word is made of yes
//     and no phrases, negations and particles ("好的", "不要了", "我不要",
//     "不好", "はいお願いします", "いらないです", "ไม่เอาครับ") or begins with a
//     phrase that opens an answer ("好的我要两杯", "不要辣"), not
//     elsewhere ("银行", bank, holds "行", all right; "ええと", um,
//     "ええ", yes; "我是学生", I am a student). Japanese "結構です" (no,
//     thanks; also fine) is read as no, "いいです" and "大丈夫です", yes or
//     no as the question goes, as neither; Thai "ครับ" and "ค่ะ" (polite
//     particles) are yes only as a message's first word.
//   - Chinese and Japanese runs of letters are read as their characters
//     and each pair of neighbouring characters ("我想要" as "我", "我想",
//     "想", "想要", "要"), the way search engines index them without a
//     dictionary; a Latin word or digits inside a run are words of their
//     own ("我要latte", "3杯"). Thai, Lao, Khmer and Burmese runs stay
//     whole words, which match through their character n-grams only.
//     A [Dictionary] finds its values inside a run of Chinese, Japanese,
//     Thai, Lao, Khmer or Burmese letters ("我要一杯大杯拿铁" holds "大杯"
//     and "拿铁"; "ขอกาแฟสองแก้ว" holds "กาแฟ"), the longest first, with
//     two guards against a value that is part of a longer word: a value of
//     one character (with its marks) is read only where no letter of such
//     a run touches it ("大" in "要 大 的", not in "大家", everyone, nor in
//     "我要大的": give such a value a longer synonym, "大杯"), and a
//     katakana value only where no katakana letter touches it ("ホット",
//     hot, not in "ホットドッグ", a hot dog; "ラテ" not in "チョコラテ"). A
//     value of two characters or more is read anywhere else in a run, even
//     where it is part of a longer word.
//   - Korean numbers are Sino-Korean ("이십오", 25; "삼만", 30,000; a
//     digit alone, as "이", two and this, only next to another number
//     word) and native ("스물다섯", 25; "하나", "둘이서"); the forms before a
//     counter, "한", "세", "네" (four, and yes) and "열", are numbers only
//     before one ("네 잔", four cups, which is no yes; "두잔"; "한 번"),
//     and "하나만" (only one) is one. Counters are a list (cups, items,
//     people, bottles, floors, times, won and their kin), so "네" before
//     another noun is no number.
//   - Vietnamese number words are read as spelled, with their tone
//     marks ("sáu", six; "sau", after; "hai mươi lăm", 25; "một trăm
//     linh năm", 105); "năm" (five, and year) is no number after a
//     number or before digits ("hai năm", two years; "năm 2024"), nor in
//     "năm nay" and its kin, and "ba" (three, dad) not in "ba mẹ". "có"
//     (yes, have), "được" and "phải" are yes only as a message's first
//     word. Hebrew numbers take "ו" (and) joined ("עשרים ושלוש", 23) and
//     "ל" or "ב" before them ("שולחן לחמישה", a table for five); "עשר"
//     is ten, and a teen after a unit ("חמש עשרה", 15); "שנים" (two,
//     years) is a number only next to another number word. Ukrainian,
//     Czech and Bulgarian numbers are read in the nominative and a few
//     other cases ("двох", "dvou", "четирима"), Czech also as one word
//     ("dvaadvacet", 22).
//   - Irish answers by echoing the question's verb, so its yes and no are
//     the echoes of "is" and "tá" ("sea", "is ea", "tá"; "ní hea",
//     "níl") and no other verb's ("ní raibh" is not read). Its numbers
//     are the counted ones ("a dó", "fiche a cúig", "a cúig is fiche")
//     and those before a noun ("dhá chupán", "trí chéad", 300); a teen
//     with its noun inside ("trí chupán déag") is not read. Hindi's and
//     Nepali's numbers under 100 are one word each ("पच्चीस", 25),
//     followed only by a hundred or a scale ("दो सौ पचास", 250; "दस
//     पाँच", ten or five, is two numbers), and a half or a quarter more
//     or less is read ("डेढ़" 1.5, "साढ़े तीन सौ" 350, "सवा सौ" 125,
//     "पौने दो" 1.75). Tamil numbers joined by sandhi into one word
//     ("முப்பத்திரண்டு", 32) are not read; "முப்பத்தி இரண்டு" is.
//   - "second" is always the number 2 for the number entity, also in "wait a
//     second"; the engine asks for a number only where one is expected.
//   - Phone numbers are found by shape (7 to 15 digits with separators), so a
//     long order number can look like a phone number.
//   - The score of a label that has only keyword patterns is 1 on a hit and
//     absent otherwise.
//   - Words unknown to the model count against a query's scores: a message
//     in a language the bot was not trained on scores low everywhere.
//   - The stand-ins of an unknown word come from general English text, not
//     from the bot's domain: a word can stand for training words it does
//     not mean there, and an unrelated question's unknown word can lift
//     the score of a label (on CLINC150 the threshold chosen on held-out
//     phrases refuses more out-of-scope queries with them than without).
//     So does the closeness in meaning: a bot whose phrases use words in
//     a sense of their own (a "ticket" of a help desk) is compared with
//     queries in their general English sense.
//   - The word vectors' table cannot tell a name from a rare word or a
//     misspelling that is not read as a training word ("brexit",
//     "wnat"): in an English matcher under 2,000 phrases whose phrases
//     often name things, a message of such words and a word or two the
//     matcher knows scores higher than in one whose phrases name
//     nothing, and a message of a name alone reads as the training words
//     whose character n-grams it shares.
//   - Dictionary typo tolerance needs five or more letters: "Rome" never
//     matches "home". So does reading a misspelt query word as a training
//     word ("tmie" is not "time"), which also takes one typo only
//     ("nutrional", two letters short of "nutritional", is not read). In
//     a language other than English it needs seven letters or more, so a
//     short misspelling is not read there ("anuler" for "annuler"), and a
//     word of its own one letter from a training word of seven letters or
//     more is read as it (French "préserver" as a training "réserver").
//   - Training uses all cores (the label blocks train in parallel); the
//     result does not depend on their number.
//   - [DetectLanguage] knows the languages of its lists only: a text in
//     another language of the same script is read as the nearest one
//     (Galician as Portuguese or Spanish, Slovak as Czech, Afrikaans as
//     Dutch, Croatian and Bosnian as Serbian, Malay as Indonesian), and
//     one in another script (Bengali, Gujarati, ...) names none. Danish
//     and Norwegian share most of their function words and need more
//     text than the others to be told apart.
package nlu

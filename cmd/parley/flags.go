package main

import (
	"errors"
	"flag"
)

// parseInterspersed parses args with fs, letting flags come after the
// positional arguments too ("parley test bot.txtar -v"); "--" ends the
// flags. It returns the positional arguments and -1, or the exit code when
// parsing ends the command: 0 after -h, 2 after a bad flag (fs has printed
// why).
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, int) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, 0
			}
			return nil, 2
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, -1
		}
		if i := len(args) - len(rest); i > 0 && args[i-1] == "--" {
			return append(pos, rest...), -1
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

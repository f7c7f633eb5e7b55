package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/parleybot/parley/engine"
)

// A reloader loads a bot's files again into a running engine, on SIGHUP
// and, when watching, when the files change. A bot that fails to load or
// to compile leaves the running one in place; every error is logged with
// its file, line and column. Reloads never overlap.
type reloader struct {
	paths []string
	eng   *engine.Engine
	log   *slog.Logger

	mu   sync.Mutex // one reload at a time
	seen string     // the files' fingerprint when last loaded
}

func newReloader(paths []string, eng *engine.Engine, log *slog.Logger) *reloader {
	r := &reloader{paths: paths, eng: eng, log: log}
	r.seen, _ = fingerprint(paths)
	return r
}

// reload loads the files and swaps the bot in, reporting why it did not.
func (r *reloader) reload(why string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	start := time.Now()
	r.seen, _ = fingerprint(r.paths)
	bot, err := loadBot(r.paths...)
	if err == nil {
		err = r.eng.Reload(bot)
	}
	if err != nil {
		errs := flatten(err)
		for _, e := range errs {
			r.log.Error("reload: "+e.Error(), "trigger", why)
		}
		r.log.Error(fmt.Sprintf("reload: %d problems; still serving the bot loaded before", len(errs)), "trigger", why)
		return err
	}
	r.log.Info("reload: bot reloaded", "trigger", why, "files", strings.Join(r.paths, " "), "duration", time.Since(start).Round(time.Millisecond))
	return nil
}

// run reloads on each value of hup (SIGHUP), and when the files have
// changed and then held still for one interval, looking every interval
// (never when it is 0), until ctx is done.
func (r *reloader) run(ctx context.Context, hup <-chan os.Signal, interval time.Duration) {
	var tick <-chan time.Time
	if interval > 0 {
		t := time.NewTicker(interval)
		defer t.Stop()
		tick = t.C
	}
	pending := "" // a change seen at the last tick, loaded once it holds still
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			r.reload("SIGHUP")
		case <-tick:
			fp, err := fingerprint(r.paths)
			r.mu.Lock()
			changed := err == nil && fp != r.seen
			r.mu.Unlock()
			switch {
			case !changed:
				pending = ""
			case fp != pending:
				// Changed since the last look: an editor may still be
				// writing. Wait for one quiet interval.
				pending = fp
			default:
				pending = ""
				r.reload("watch")
			}
		}
	}
}

// watchHUP starts catching SIGHUP, which would otherwise end the process.
func watchHUP() (<-chan os.Signal, func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGHUP)
	return ch, func() { signal.Stop(ch) }
}

// fingerprint sums up the bot files under paths (a directory stands for
// its .yaml, .yml and .json files, at any depth): their names, sizes and
// modification times.
func fingerprint(paths []string) (string, error) {
	var b strings.Builder
	for _, p := range paths {
		err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				return nil
			}
			switch strings.ToLower(filepath.Ext(path)) {
			case ".yaml", ".yml", ".json":
			default:
				if path != p {
					return nil
				}
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "%s\x00%d\x00%d\n", path, info.Size(), info.ModTime().UnixNano())
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
	}
	return b.String(), nil
}

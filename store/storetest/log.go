package storetest

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/parleybot/parley/store"
)

// logEnd returns where a reader of what comes next starts.
func (e *env) logEnd() store.LogPos {
	e.Helper()
	page, err := e.s.ReadLog(ctx, store.LogPos{}, 0)
	if err != nil {
		e.Fatalf("ReadLog(end): %v", err)
	}
	if page.Log == "" {
		e.Errorf("ReadLog: the log has no id")
	}
	return page.Last
}

// logEndAfter returns the log's end once it has moved past pos: a backend
// may settle the entries of a transaction only once the transactions
// begun before it have ended, even those of other stores sharing its
// database server.
func (e *env) logEndAfter(pos store.LogPos) store.LogPos {
	e.Helper()
	for {
		if end := e.logEnd(); pos.Less(end) {
			return end
		}
		time.Sleep(time.Millisecond)
	}
}

// readLog reads every settled entry after pos, page by page.
func (e *env) readLog(after store.LogPos, limit int) []store.LogEntry {
	e.Helper()
	var all []store.LogEntry
	for {
		page, err := e.s.ReadLog(ctx, after, limit)
		if err != nil {
			e.Fatalf("ReadLog(%v): %v", after, err)
		}
		if page.Lost {
			e.Fatalf("ReadLog(%v): lost", after)
		}
		all = append(all, page.Entries...)
		if page.Last.Less(after) {
			e.Fatalf("ReadLog(%v): Last %v goes back", after, page.Last)
		}
		if page.Pending {
			time.Sleep(time.Millisecond) // transactions still running
		} else if len(page.Entries) < limit {
			return all
		}
		after = page.Last
	}
}

func logString(es []store.LogEntry, names map[string]string) string {
	var b strings.Builder
	for _, x := range es {
		n := names[x.ThreadID]
		switch x.Kind {
		case store.LogMessage:
			fmt.Fprintf(&b, "%s:%d ", n, x.Seq)
		case store.LogThreadCreated:
			fmt.Fprintf(&b, "%s:created ", n)
		case store.LogThreadChanged:
			fmt.Fprintf(&b, "%s:changed ", n)
		case store.LogThreadDeleted:
			fmt.Fprintf(&b, "%s:deleted(%s) ", n, x.Alias)
		}
	}
	return strings.TrimSpace(b.String())
}

// testEventLog checks that each change to threads leaves its entries, in
// order, and that a reader resumes from any position.
func testEventLog(e *env) {
	start := e.logEnd()
	a := e.thread(store.Thread{Alias: "log-a"})
	e.chat("session-log", "", "hi")
	s, err := e.s.Session(ctx, "session-log")
	if !e.noErr("Session", err) {
		return
	}
	b := s.ThreadID
	// A turn that escalates its thread.
	e.update("session-log", func(t *store.Turn) error {
		t.Append(store.Message{Type: store.SystemMessage, SystemType: store.ConversationEscalated})
		t.Thread.Mode, t.Thread.Escalated = store.ModeAgent, true
		return nil
	})
	_, err = e.s.UpdateThread(ctx, a.ID, func(th *store.Thread) error { th.Read = 0; return nil })
	e.noErr("UpdateThread", err)
	_, err = e.s.AppendMessages(ctx, a.ID, store.Message{Type: store.AgentMessage, Text: "1"}, store.Message{Type: store.AgentMessage, Text: "2"})
	e.noErr("AppendMessages", err)
	e.noErr("SetReaction", e.s.SetReaction(ctx, a.ID, 1, store.Positive)) // not an entry
	// A thread the turn takes with UseThread, unchanged.
	e.update(a.SessionID, func(t *store.Turn) error {
		if err := t.UseThread(a.ID); err != nil {
			return err
		}
		t.Append(store.Message{Type: store.UserMessage, Text: "back"})
		return nil
	})
	e.noErr("DeleteThread", e.s.DeleteThread(ctx, a.ID))

	names := map[string]string{a.ID: "a", b: "b"}
	want := "a:created b:created b:1 b:2 b:3 b:changed a:changed a:1 a:2 a:3 a:deleted(log-a)"
	all := e.readLog(start, store.MaxLogPage)
	e.equal("entries", logString(all, names), want)
	for i := 1; i < len(all); i++ {
		if !all[i-1].Pos.Less(all[i].Pos) {
			e.Errorf("entry %d at %v, not after %v", i, all[i].Pos, all[i-1].Pos)
		}
	}
	e.equal("read one at a time", logString(e.readLog(start, 1), names), want)
	if len(all) > 4 {
		e.equal("resumed after the fourth", logString(e.readLog(all[3].Pos, 3), names), logString(all[4:], names))
	}
	if page, err := e.s.ReadLog(ctx, all[len(all)-1].Pos, 10); e.noErr("ReadLog at the end", err) {
		e.equal("at the end", []any{len(page.Entries), page.Lost, page.Last}, []any{0, false, all[len(all)-1].Pos})
	}
	end := e.logEnd()
	if end != all[len(all)-1].Pos {
		e.Errorf("end: got %v, want %v", end, all[len(all)-1].Pos)
	}
	// A position past the end (another store's, a store recreated).
	future := end
	future.N += 1000
	if page, err := e.s.ReadLog(ctx, future, 10); e.noErr("ReadLog past the end", err) {
		e.equal("past the end: lost", []any{page.Lost, len(page.Entries)}, []any{true, 0})
	}
	_, err = e.s.ReadLog(ctx, start, store.MaxLogPage+1)
	e.wantErr("limit too big", err, store.ErrInvalid)
	_, err = e.s.ReadLog(ctx, start, -1)
	e.wantErr("negative limit", err, store.ErrInvalid)
	if p, err := store.ParseLogPos(end.String()); err != nil || p != end {
		e.Errorf("ParseLogPos(%q): got %v, %v", end.String(), p, err)
	}
}

// testEventLogConcurrent appends from many goroutines, by turns and by
// AppendMessages, while a reader follows the log: the reader must see
// every entry once, and exactly what a reader that comes after the
// writers sees (nothing appears behind a position it passed).
func testEventLogConcurrent(e *env) {
	start := e.logEnd()
	const writers, turns = 8, 6 // fewer entries than logRetention
	threads := make([]store.Thread, writers)
	for i := range threads {
		threads[i] = e.thread(store.Thread{})
	}
	done := make(chan struct{})
	var followed []store.LogEntry
	var reader sync.WaitGroup
	reader.Add(1)
	go func() {
		defer reader.Done()
		after := start
		finished := false
		for {
			page, err := e.s.ReadLog(ctx, after, 7)
			if err != nil || page.Lost {
				e.Errorf("ReadLog(%v): %v, lost %v", after, err, page.Lost)
				return
			}
			followed = append(followed, page.Entries...)
			after = page.Last
			if finished && len(page.Entries) == 0 && !page.Pending {
				return
			}
			if page.Pending {
				time.Sleep(time.Millisecond) // transactions still running
			}
			select {
			case <-done:
				finished = true
			default:
			}
		}
	}()
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range turns {
				if w%2 == 0 {
					_, err := e.s.AppendMessages(ctx, threads[w].ID, store.Message{Type: store.AgentMessage, Text: fmt.Sprint(i)})
					e.noErr("AppendMessages", err)
				} else {
					err := e.s.Update(ctx, fmt.Sprintf("session-log-%d", w), func(t *store.Turn) error {
						t.Append(store.Message{Type: store.UserMessage, Text: "q"}, store.Message{Type: store.BotMessage, Text: "a"})
						return nil
					})
					e.noErr("Update", err)
				}
			}
		}()
	}
	wg.Wait()
	close(done)
	reader.Wait()
	after := e.readLog(start, store.MaxLogPage)
	if !slices.Equal(followed, after) {
		e.Errorf("the reader that followed the writers read %d entries, one after them %d: an entry appeared behind the reader", len(followed), len(after))
	}
	// Every message once, in order within its thread.
	seqs := map[string]int{}
	messages := 0
	for _, x := range after {
		if x.Kind != store.LogMessage {
			continue
		}
		messages++
		if x.Seq != seqs[x.ThreadID]+1 {
			e.Errorf("thread %s: message %d after %d", x.ThreadID, x.Seq, seqs[x.ThreadID])
		}
		seqs[x.ThreadID] = x.Seq
	}
	e.equal("messages", messages, writers/2*turns+writers/2*turns*2)
}

// testEventLogRetention checks that the log keeps about logRetention
// entries, and that a reader resuming from a dropped position is told.
// (About: a backend may trim the log every so many appends, and each of
// several processes by its own count, so the dropped position probed is
// three times logRetention back.)
func testEventLogRetention(e *env) {
	start := e.logEnd()
	th := e.thread(store.Thread{})
	var ends []store.LogPos // the end after each append of two entries
	end := e.logEnd()
	for i := range 2 * logRetention {
		_, err := e.s.AppendMessages(ctx, th.ID, store.Message{Type: store.AgentMessage, Text: fmt.Sprint(i)}, store.Message{Type: store.AgentMessage, Text: "."})
		if !e.noErr("AppendMessages", err) {
			return
		}
		end = e.logEndAfter(end)
		ends = append(ends, end)
	}
	for _, c := range []struct {
		name string
		pos  store.LogPos
		lost bool
	}{
		{"the start", start, true},
		{"3 retention back", ends[len(ends)-1-3*logRetention/2], true},
		{"3/4 retention back", ends[len(ends)-1-3*logRetention/8], false},
		{"the end", ends[len(ends)-1], false},
	} {
		page, err := e.s.ReadLog(ctx, c.pos, store.MaxLogPage)
		if e.noErr("ReadLog from "+c.name, err) {
			e.equal("from "+c.name+": lost", page.Lost, c.lost)
		}
	}
	got := e.readLog(ends[len(ends)-1-3*logRetention/8], store.MaxLogPage)
	e.equal("entries after 3/4 retention back", len(got), 3*logRetention/8*2)
}

package exercise

import (
	"fmt"
	"strings"
	"time"

	libmistake "github.com/dlnb/course/dlnb/mistake"
)

// limit is how long one check may run the student's code in all.
var limit = time.Second

// halt says how the student's code ended when it did not return: a panic
// (or a stop of package np) with its message, or the time limit.
type halt struct {
	message string
	timeout bool
}

// runner runs the student's code of one check, each call under recover in
// a goroutine of its own, all calls within one deadline.
type runner struct{ deadline time.Time }

func newRunner() *runner { return &runner{deadline: time.Now().Add(limit)} }

// call runs f and returns nil when it returned, or how it ended. A call that
// runs past the deadline is left running (it ends with the cell's program).
func (r *runner) call(f func()) *halt {
	left := time.Until(r.deadline)
	if left <= 0 {
		return &halt{timeout: true}
	}
	done := make(chan *halt, 1)
	go func() {
		defer func() {
			if v := recover(); v != nil {
				done <- &halt{message: fmt.Sprint(v)}
			}
		}()
		if err := libmistake.Catch(f); err != nil {
			done <- &halt{message: err.Error()}
			return
		}
		done <- nil
	}()
	t := time.NewTimer(left)
	defer t.Stop()
	select {
	case h := <-done:
		return h
	case <-t.C:
		return &halt{timeout: true}
	}
}

// result turns a halt into the check's result: a stub's nil array is
// 未回答, anything else 不正解 with the input that stopped it.
func (h *halt) result(name, title, input string, nilIsStub bool) Result {
	if h.timeout {
		return Result{Exercise: name, Status: Wrong, Hint: "timeout", Lines: []string{
			fmt.Sprintf("不正解: %s — %sたっても終わりません (無限ループ?)", title, seconds(limit)),
			"  入力: " + input,
			"  ヒント: ループの終わる条件 (i を増やしているか、範囲が正しいか) を確かめましょう。",
		}}
	}
	nilArray := strings.Contains(h.message, "nil array")
	if nilArray && nilIsStub {
		return Result{Exercise: name, Status: Unanswered, Lines: []string{
			fmt.Sprintf("未回答: %s — まだ作られていない配列 (nil) を使っています", title),
			"  あなたの関数か、それが使う関数 (まだ解いていない練習かもしれません) の「// ここにコードを書く」に答えを書いて、そのセルとこのセルを実行しましょう。",
		}}
	}
	lines := []string{
		fmt.Sprintf("不正解: %s — あなたのコードが途中で止まりました: %s", title, h.message),
		"  入力: " + input,
	}
	switch {
	case nilArray:
		lines = append(lines, "  ヒント: まだ作っていない配列 (nil) を使っています。代入し忘れた変数や、map にないキーがないか確かめましょう。")
	case strings.Contains(h.message, "nil pointer dereference"):
		lines = append(lines, "  ヒント: まだ作っていないもの (nil) を使っています。i == 0 のときに作る状態 (h や v) や、代入し忘れた変数を確かめましょう。")
	case strings.Contains(h.message, "np.Dot"):
		lines = append(lines, "  ヒント: 行列の積の形が合いません。それぞれの形と、転置 (np.T) の位置を確かめましょう。")
	case strings.Contains(h.message, "slice bounds out of range"):
		lines = append(lines, "  ヒント: スライスの範囲 [始まり:終わり] を確かめましょう (始まり ≤ 終わり)。")
	}
	return Result{Exercise: name, Status: Wrong, Hint: "panic", Lines: lines}
}

func seconds(d time.Duration) string {
	if d%time.Second == 0 {
		return fmt.Sprintf("%d 秒", int(d/time.Second))
	}
	return fmt.Sprintf("%g 秒", d.Seconds())
}

//go:build ignore

// pinyin_gen writes pinyin.txt: the toneless readings of the 6,763 characters of GB 2312
// (levels 1 and 2, the characters common in names), taken from github.com/mozillazg/go-pinyin
// with every reading of a heteronym. It is run by hand, outside the module, so that the
// product does not depend on the package:
//
//	d=$(mktemp -d) && cp internal/identity/pinyin_gen.go $d/main.go && (cd $d && go mod init gen &&
//	  go get github.com/mozillazg/go-pinyin@v0.21.0 golang.org/x/text && go run .) > internal/identity/pinyin.txt
//
// Each line is one syllable followed by a space and every character that has that reading.
package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/mozillazg/go-pinyin"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func main() {
	args := pinyin.NewArgs()
	args.Style = pinyin.Normal
	args.Heteronym = true
	bySyllable := map[string][]rune{}
	dec := simplifiedchinese.GBK.NewDecoder()
	// GB 2312 hanzi: rows 0xB0-0xF7, cells 0xA1-0xFE (row 0xD7 stops at 0xF9)
	for hi := 0xB0; hi <= 0xF7; hi++ {
		for lo := 0xA1; lo <= 0xFE; lo++ {
			if hi == 0xD7 && lo > 0xF9 {
				continue
			}
			b, err := dec.Bytes([]byte{byte(hi), byte(lo)})
			if err != nil {
				panic(err)
			}
			r := []rune(string(b))
			if len(r) != 1 {
				panic(fmt.Sprintf("%x%x decodes to %q", hi, lo, b))
			}
			seen := map[string]bool{}
			for _, py := range pinyin.SinglePinyin(r[0], args) {
				py = strings.ReplaceAll(py, "ü", "v")
				if py == "" || seen[py] {
					continue
				}
				seen[py] = true
				bySyllable[py] = append(bySyllable[py], r[0])
			}
		}
	}
	keys := make([]string, 0, len(bySyllable))
	for k := range bySyllable {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("%s %s\n", k, string(bySyllable[k]))
	}
}

// Command example is a partner's program against the talentdb API in a few lines, on the
// generated client (package goclient): with an API token (docs/examples/token-flow.sh makes
// one), it lists persons page by page, masked as the API returns them, and prints an
// edition's cohort report.
//
//	TALENTDB_URL=https://talentdb.example.org TALENTDB_TOKEN=tdb_… \
//	  go run ./docs/examples/goclient/example -edition jingke-2024
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"time"

	"talentdb/docs/examples/goclient"
)

func main() {
	school := flag.String("school", "", "only the persons of this school code")
	edition := flag.String("edition", "", "also print the cohort report of this edition, e.g. jingke-2024")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	hc := &http.Client{Timeout: time.Minute}
	if err := run(ctx, os.Stdout, hc, os.Getenv("TALENTDB_URL"), os.Getenv("TALENTDB_TOKEN"), *school, *edition); err != nil {
		fmt.Fprintln(os.Stderr, "example:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, hc *http.Client, baseURL, token, school, edition string) error {
	if baseURL == "" || token == "" {
		return errors.New("set TALENTDB_URL (e.g. https://talentdb.example.org) and TALENTDB_TOKEN (tdb_…)")
	}
	bearer := func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+token)
		return nil
	}
	c, err := goclient.NewClientWithResponses(baseURL, goclient.WithHTTPClient(hc), goclient.WithRequestEditorFn(bearer))
	if err != nil {
		return err
	}

	// a list is keyset-paginated: ask for the next page with the previous page's next
	// until it is null
	limit := 100
	params := &goclient.ListPersonsParams{Limit: &limit}
	if school != "" {
		params.School = &school
	}
	for {
		page, err := c.ListPersonsWithResponse(ctx, params)
		if err != nil {
			return err
		}
		if page.JSON200 == nil {
			return problem(page.HTTPResponse, page.Body)
		}
		for _, p := range page.JSON200.Items {
			fmt.Fprintf(out, "%d\t%s\t%s\n", p.Id, p.Name, p.IdNumberMasked)
		}
		if page.JSON200.Next == nil {
			break
		}
		params.After = page.JSON200.Next
	}

	if edition == "" {
		return nil
	}
	rep, err := c.CohortReportWithResponse(ctx, &goclient.CohortReportParams{Edition: edition})
	if err != nil {
		return err
	}
	if rep.JSON200 == nil {
		return problem(rep.HTTPResponse, rep.Body)
	}
	// a count is a number, or a string ("<5", "*") in publication mode (?publish=true)
	size, _ := rep.JSON200.CohortSize.MarshalJSON()
	fmt.Fprintf(out, "cohort %s on %s: %s participants\n", rep.JSON200.Edition, rep.JSON200.AsOf, size)
	for _, w := range rep.JSON200.Windows {
		awarded, _ := w.Awarded.MarshalJSON()
		fmt.Fprintf(out, "  window %d (%s to %s): %s awarded\n", w.K, w.From, w.To, awarded)
	}
	return nil
}

// problem is the error of an answer that is not a success: the problem+json's detail
// (Chinese / English) and type, or the bare status.
func problem(r *http.Response, body []byte) error {
	var p goclient.Problem
	if err := json.Unmarshal(body, &p); err != nil || p.Type == "" {
		return fmt.Errorf("%s", r.Status)
	}
	detail := p.Title
	if p.Detail != nil {
		detail = *p.Detail
	}
	return fmt.Errorf("%s: %s (%s)", r.Status, detail, p.Type)
}

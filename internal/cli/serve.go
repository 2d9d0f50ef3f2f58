package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"talentdb/internal/access"
	"talentdb/internal/auth"
	"talentdb/internal/remind"
	"talentdb/internal/store"
)

// runServe is `talentdb serve [--listen ADDR] [--no-migrate]`: migrate (unless told not
// to), then serve the HTTP API until ctx is canceled (SIGINT/SIGTERM), then shut down
// gracefully.
func runServe(ctx context.Context, env *Env) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	env.Cfg.RegisterCommon(fs)
	fs.StringVar(&env.Cfg.ListenAddr, "listen", env.Cfg.ListenAddr, "address to listen on (LISTEN_ADDR)")
	noMigrate := fs.Bool("no-migrate", false, "do not apply pending migrations before serving")
	pos, err := parseFlags(fs, env.Args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return fmt.Errorf("%w: unexpected argument %q", ErrUsage, pos[0])
	}
	tuneGC()
	proxies, err := auth.ParseTrustedProxies(env.Cfg.TrustedProxies)
	if err != nil {
		return fmt.Errorf("TRUSTED_PROXIES: %w", err)
	}
	st, err := openServerStore(ctx, env.Cfg)
	if err != nil {
		return err
	}
	if !*noMigrate {
		if err := migrateUp(ctx, st, env.Log); err != nil {
			st.Close()
			return err
		}
	}
	// after the migrations, which create the table of the key check value
	keys, err := openKeys(ctx, env, st)
	if err != nil {
		st.Close()
		return err
	}
	if env.Cfg.ReplicaURL != "" { // read-only analytics go to the standby while it is healthy
		if err := st.AttachReplica(ctx, env.Cfg.ReplicaURL, store.ReplicaOptions{Log: env.Log}); err != nil {
			st.Close()
			return err
		}
	}
	// authentication is always on in the service (docs/security.md)
	apiRate := auth.NoLimit
	if n := env.Cfg.APIRatePerMinute; n > 0 {
		apiRate = auth.Rate{Burst: n, Per: time.Minute}
	}
	authn := auth.New(st, auth.Config{TrustedProxies: proxies, APIRate: apiRate})
	dailyAt, daily, err := remind.ParseDailyAt(env.Cfg.RemindDailyAt)
	if err != nil {
		st.Close()
		return err
	}
	h, d := mount(st, keys, authn, env.Log, prometheus.NewRegistry(), env.Cfg)
	if env.Cfg.PprofAddr != "" {
		stop, err := servePprof(env.Cfg.PprofAddr, env.Log)
		if err != nil {
			st.Close()
			return err
		}
		defer stop()
	}
	ln, err := net.Listen("tcp", env.Cfg.ListenAddr)
	if err != nil {
		st.Close()
		return fmt.Errorf("listen: %w", err)
	}
	if daily { // the day's digests, sent by the server itself (docs/reminders.md)
		jobs, stop := context.WithCancel(ctx)
		defer stop()
		go d.Reminders.Daily(jobs, access.Caller{Username: "system:remind", Role: access.RoleOfficeAdmin, Via: access.ViaCLI},
			dailyAt, env.Log)
		env.Log.Info("reminders: daily digests on", "at", env.Cfg.RemindDailyAt, "zone", "Asia/Shanghai")
	}
	return serve(ctx, env.Log, ln, h, st, env.Cfg.ShutdownTimeout)
}

// migrateUp applies pending migrations, logging each.
func migrateUp(ctx context.Context, st *store.Store, log *slog.Logger) error {
	m, err := st.NewMigrator()
	if err != nil {
		return err
	}
	defer m.Close()
	return m.Up(ctx, logLines{log})
}

// logLines writes each line it is given as an info log record.
type logLines struct{ log *slog.Logger }

func (l logLines) Write(p []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		if line != "" {
			l.log.Info(line)
		}
	}
	return len(p), nil
}

// serve runs h on ln until ctx is canceled, then stops accepting, lets in-flight requests
// finish within timeout, and closes the store's pool last. It owns st and ln.
func serve(ctx context.Context, log *slog.Logger, ln net.Listener, h http.Handler, st *store.Store, timeout time.Duration) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      5 * time.Minute, // reports may take a while to compute
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String())

	select {
	case err := <-errc: // the listener failed before any signal
		st.Close()
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", timeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		log.Warn("in-flight requests did not finish in time; closing them", "err", err.Error())
		_ = srv.Close()
	}
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		log.Warn("serve", "err", serr.Error())
	}
	st.Close()
	log.Info("stopped")
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

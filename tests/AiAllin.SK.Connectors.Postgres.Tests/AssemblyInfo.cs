using AiAllin.SK.Testing.Conditional;
using AiAllin.SK.Testing.Servers;

// The shared conformance suites bound here need PostgreSQL: skipped with the reason when AIALLIN_POSTGRES_URL is
// not set, required under CI=true.
[assembly: RequiresServer(TestServers.PostgresVariable)]

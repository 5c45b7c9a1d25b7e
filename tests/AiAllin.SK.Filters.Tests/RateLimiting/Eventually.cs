namespace AiAllin.SK.Filters.Tests.RateLimiting;

/// <summary>Waits for work that continues on the thread pool after a fake clock was advanced (a hang guard, not a timing assertion).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (guard.IsCancellationRequested)
            {
                Assert.Fail("Timed out waiting until " + what);
            }

            await Task.Delay(1);
        }
    }

    public static Task<T> Within<T>(Task<T> task) => task.WaitAsync(TimeSpan.FromSeconds(20));

    public static Task Within(Task task) => task.WaitAsync(TimeSpan.FromSeconds(20));
}

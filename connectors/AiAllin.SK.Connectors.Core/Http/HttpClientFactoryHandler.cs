
namespace AiAllin.SK.Connectors.Core.Http;

/// <summary>
/// Sends each request through the handler chain <see cref="IHttpMessageHandlerFactory"/> currently holds for one named
/// client. The chain is looked up per request (a dictionary read in the factory), not captured once, because provider
/// clients are singletons: a captured chain would never be rotated and would keep stale DNS answers forever.
/// </summary>
internal sealed class HttpClientFactoryHandler : HttpMessageHandler
{
    private readonly IHttpMessageHandlerFactory _factory;
    private readonly string _name;

    public HttpClientFactoryHandler(IHttpMessageHandlerFactory factory, string name)
    {
        _factory = factory;
        _name = name;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The factory owns the chain's lifetime; the invoker must not dispose it.
        using var invoker = new HttpMessageInvoker(_factory.CreateHandler(_name), disposeHandler: false);
        return invoker.SendAsync(request, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var invoker = new HttpMessageInvoker(_factory.CreateHandler(_name), disposeHandler: false);
        return invoker.Send(request, cancellationToken);
    }
}

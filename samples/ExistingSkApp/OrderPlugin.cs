using System.ComponentModel;
using Microsoft.Extensions.VectorData;
using Microsoft.SemanticKernel;

namespace ExistingSkApp;

/// <summary>The app's own plugin: looks orders up in the PostgreSQL store registered through AiAllin.SK.</summary>
public sealed class OrderPlugin(VectorStoreCollection<string, OrderRecord> orders)
{
    /// <summary>How many times the model called the plugin.</summary>
    public int Calls { get; private set; }

    [KernelFunction, Description("Gets the status of an order by its id.")]
    public async Task<string> GetOrderStatusAsync([Description("The order id, e.g. A-1001")] string orderId)
    {
        Calls++;
        var order = await orders.GetAsync(orderId);
        return order is null ? $"No order {orderId}." : $"Order {order.Id}: {order.Status}";
    }
}

namespace DriverOffers.Server.Features.Outbox;

public static class MessagingSetup
{
    /// <summary>Registers a sender per configured channel and the delivery service; see README "Messaging".</summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services, IConfiguration config)
    {
        var section = config.GetSection(MessagingOptions.Section);
        services.Configure<MessagingOptions>(section);
        var o = section.Get<MessagingOptions>() ?? new MessagingOptions();
        if (!string.IsNullOrWhiteSpace(o.Smtp.Host))
        {
            if (string.IsNullOrWhiteSpace(o.Smtp.From))
            {
                throw new InvalidOperationException("Messaging:Smtp:From must be set when Messaging:Smtp:Host is.");
            }
            services.AddSingleton<IMessageSender, SmtpEmailSender>();
        }
        if (!string.IsNullOrWhiteSpace(o.Sms.AccountSid))
        {
            if (string.IsNullOrWhiteSpace(o.Sms.AuthToken) || string.IsNullOrWhiteSpace(o.Sms.From))
            {
                throw new InvalidOperationException("Messaging:Sms:AuthToken and Messaging:Sms:From must be set when Messaging:Sms:AccountSid is.");
            }
            services.AddHttpClient(nameof(HttpSmsSender));
            services.AddSingleton<IMessageSender, HttpSmsSender>();
        }
        services.AddSingleton<OutboxDelivery>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDelivery>());
        return services;
    }
}

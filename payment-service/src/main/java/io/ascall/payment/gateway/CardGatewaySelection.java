package io.ascall.payment.gateway;

import io.ascall.payment.config.PaymentConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

/**
 * Picks the {@link CardGateway} named by {@code payment.gateway.type} at run time, so that one
 * build can run against either gateway. Implementations are beans of their own class only
 * ({@code @Typed}); this producer is the one source of {@link CardGateway}.
 */
@ApplicationScoped
public class CardGatewaySelection {

    @Produces
    @ApplicationScoped
    CardGateway cardGateway(PaymentConfig config, Instance<SimulatedCardGateway> simulated) {
        return switch (config.gateway().type()) {
            case SIMULATED -> simulated.get();
        };
    }
}

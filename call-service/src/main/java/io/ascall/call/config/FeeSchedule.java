package io.ascall.call.config;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.ascall.events.ApplianceType;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/** The visit fee of each appliance type, checked once at start-up so that no call meets a missing fee. */
@Startup
@ApplicationScoped
public class FeeSchedule {

    private final Map<ApplianceType, Long> fees = new EnumMap<>(ApplianceType.class);
    private final String currency;

    public FeeSchedule(CallConfig config) {
        Set<String> unknown = new TreeSet<>();
        config.fees().forEach((name, fee) -> {
            try {
                ApplianceType type = ApplianceType.valueOf(name);
                if (fee == null || fee <= 0) {
                    throw new IllegalStateException("call.fees." + name + " must be a positive amount, not " + fee);
                }
                fees.put(type, fee);
            } catch (IllegalArgumentException e) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("call.fees names unknown appliance types " + unknown);
        }
        Set<ApplianceType> missing = new TreeSet<>(Set.of(ApplianceType.values()));
        missing.removeAll(fees.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalStateException("call.fees has no fee for " + missing);
        }
        this.currency = config.currency();
    }

    public long feeFor(ApplianceType type) {
        return fees.get(type);
    }

    public String currency() {
        return currency;
    }
}

package testprov;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.DiscoveryProvider;
import io.solconnect.relay.api.spi.PluginContext;
import io.solconnect.relay.api.spi.RelayDiscovery;

/** Test provider compiled by ProviderRegistryTest. */
public class DupA implements DiscoveryProvider {
    
    @Override
    public String name() {
        return "twin";
    }

    @Override
    public Result<RelayDiscovery> create(PluginContext context) {
        return Result.err(ErrorCode.PROVIDER_FAILED, "test provider");
    }
}

// placeholder until the pool lands

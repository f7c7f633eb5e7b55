// Parley chat widget

return await JisuDai.Standalone.StandaloneHost.RunAsync(args);

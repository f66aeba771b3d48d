using JisuDai.Standalone;
return await JisuDai.Standalone.StandaloneHost.RunAsync(args);
